namespace OneStop.Mocks;

/// <summary>
/// The fault switches of one mock (docs/adapters.md, "Fault switches"). Thread-safe: tests flip them while
/// requests are in flight. The same switches are served over HTTP at <c>POST/GET/DELETE /__faults</c>.
/// </summary>
public sealed class FaultSwitches
{
    private readonly Action _expireTokens;
    private int _latencyMs;
    private int _status5xx;
    private int _malformedBody;
    private int _connectionReset;

    internal FaultSwitches(Action expireTokens) => _expireTokens = expireTokens;

    /// <summary>Every business call waits this long (wall-clock) before it is answered. 0 = off.</summary>
    public int LatencyMs
    {
        get => Volatile.Read(ref _latencyMs);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref _latencyMs, value);
        }
    }

    /// <summary>
    /// The next N business calls are answered HTTP 503 <c>{"error":"service unavailable"}</c>;
    /// -1 answers 503 until cleared; 0 = off. Reading it gives the calls still to fail.
    /// </summary>
    public int Status5xx
    {
        get => Volatile.Read(ref _status5xx);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, -1);
            Volatile.Write(ref _status5xx, value);
        }
    }

    /// <summary>Business calls are answered HTTP 200 with truncated JSON.</summary>
    public bool MalformedBody
    {
        get => Volatile.Read(ref _malformedBody) != 0;
        set => Volatile.Write(ref _malformedBody, value ? 1 : 0);
    }

    /// <summary>
    /// Every TCP connection the mock accepts is reset (RST) at once, and so is an already open connection as
    /// soon as the client sends on it. Covers <c>/token</c> and <c>/__faults</c> too: use
    /// <see cref="MockServer.ControlUrl"/> or this property to switch it off.
    /// </summary>
    public bool ConnectionReset
    {
        get => Volatile.Read(ref _connectionReset) != 0;
        set => Volatile.Write(ref _connectionReset, value ? 1 : 0);
    }

    /// <summary>Forgets every token issued so far: the next business call gets 401; <c>/token</c> still works.</summary>
    public void ExpireTokens() => _expireTokens();

    /// <summary>Switches every fault off. Issued tokens and the call count are left alone.</summary>
    public void Clear()
    {
        LatencyMs = 0;
        Status5xx = 0;
        MalformedBody = false;
        ConnectionReset = false;
    }

    /// <summary>Takes one 503 from the budget; true when this call must fail.</summary>
    internal bool TryTake5xx()
    {
        while (true)
        {
            var current = Volatile.Read(ref _status5xx);
            if (current == 0)
            {
                return false;
            }

            if (current < 0)
            {
                return true;
            }

            if (Interlocked.CompareExchange(ref _status5xx, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
