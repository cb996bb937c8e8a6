namespace OneStop.Testing;

/// <summary>Waits for something that happens in the background (a reload, a delivery) with a generous deadline: a wait, not a timing assertion.</summary>
public static class Eventually
{
    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; past <paramref name="deadline"/> (default 60 s) the test fails
    /// naming <paramref name="what"/>, with <paramref name="diagnostics"/> (e.g. a host's recent log lines) when given.
    /// </summary>
    public static async Task True(
        Func<bool> condition, string what, TimeSpan? deadline = null, Func<string>? diagnostics = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = deadline ?? TimeSpan.FromSeconds(60);
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (started.Elapsed > limit)
            {
                throw new TimeoutException($"not within {limit.TotalSeconds:0} s: {what}\n{diagnostics?.Invoke()}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var limit = deadline ?? TimeSpan.FromSeconds(60);
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var value = await read().ConfigureAwait(false);
            if (done(value))
            {
                return value;
            }

            if (started.Elapsed > limit)
            {
                throw new TimeoutException($"gave up waiting for {what} after {limit.TotalSeconds:0} s");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }
}
