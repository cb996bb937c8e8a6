using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneStop.Adapters;
using OneStop.Hub.Evidence;
using OneStop.Hub.Mappings;
using OneStop.Mappings;

namespace OneStop.Hub.Internal;

/// <summary>
/// The mappings of <c>Mappings:Path</c>, kept current while the hub runs. At start the folder must be valid (every
/// file loads, every sample passes, every <see cref="IMappingCatalogCheck"/> holds) or the hub refuses to start.
/// Then the folder is watched (file-system events, with polling as the fallback); a change is debounced, the whole
/// folder is loaded into a new catalog and every sample runs; only when all is well is the new catalog swapped in,
/// in one reference write. Otherwise the previous catalog keeps serving and the refusal is reported (log, admin
/// API) naming file, field path and rule. Every swap and refusal is recorded as a <c>Mappings/Swap</c> exchange.
/// </summary>
internal sealed partial class ReloadingMappingSource : IMappingSource, IMappingAdmin, IHostedService, IDisposable
{
    public const string SwapOperation = "Mappings/Swap";

    private readonly string _folder;
    private readonly MappingsOptions _options;
    private readonly IMappingCatalogCheck[] _checks;
    private readonly IEvidenceRecorder _evidence;
    private readonly TimeProvider _time;
    private readonly ILogger<ReloadingMappingSource> _logger;
    private readonly IMappingInputObserver? _observer;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly List<FileSystemWatcher> _watchers = [];
    private CancellationTokenSource? _stopping;
    private Task? _watching;
    private volatile Active _active;
    private volatile MappingReloadReport? _lastReload;
    private volatile MappingReloadReport? _lastRefused;
    private string _lastAttempted;
    private int _disposed;
    private readonly Counter<long> _reloads;

    public ReloadingMappingSource(
        IOptions<MappingsOptions> options,
        IEnumerable<IMappingCatalogCheck> checks,
        IEvidenceRecorder evidence,
        TimeProvider time,
        ILogger<ReloadingMappingSource> logger,
        IMeterFactory meters,
        ShadowWindow? shadowWindow = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _reloads = meters.Create(Lookups.LookupService.MeterName)
            .CreateCounter<long>(Diagnostics.HubMetricNames.MappingReloads, description: "Mapping folder reloads, by outcome (swapped, refused, unchanged)");
        _options = options.Value;
        _folder = _options.ResolvedPath;
        _checks = [.. checks];
        _evidence = evidence;
        _time = time;
        _logger = logger;
        _observer = shadowWindow;
        if (!Directory.Exists(_folder))
        {
            throw new InvalidOperationException($"Mappings:Path: folder '{_folder}' does not exist");
        }

        var (report, errors) = Check();
        if (errors.Count > 0 || report?.Catalog is null)
        {
            throw new InvalidOperationException(
                $"Mappings:Path: '{_folder}' holds invalid mappings:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        }

        var now = _time.GetUtcNow();
        _active = NewActive(report.Catalog, now, LoadedAt(report.Catalog, previous: null, now));
        _lastAttempted = FolderDigest(report.Catalog);
        LogLoaded(_active.Catalog.All.Count, _active.Catalog.Upstreams.Count, _folder, report.SamplesPassed, Tags(_active.Catalog));
    }

    /// <summary>The catalog in force; its mappings report every input to the shadow window.</summary>
    public MappingCatalog Current => _active.Catalog;

    /// <summary>The same catalog without the shadow window: what a shadow run replays through, so a replay is not itself recorded.</summary>
    public MappingCatalog Unobserved => _active.Unobserved;

    public MappingStatus Status
    {
        get
        {
            var active = _active;
            return new MappingStatus(
                _folder,
                active.Catalog.Digest,
                active.Since,
                [.. active.Catalog.All.Select(m => new ActiveMapping(
                    m.Id, m.Version, m.VersionTag, m.FileName, active.LoadedAt[MappingKey(m.Id)], m.Samples.Count,
                    m.SourceSchema, m.TargetSchema, m.ContentHash, m.Description))],
                [.. active.Catalog.Upstreams.Select(u => new ActiveUpstream(
                    u.Id, u.Version, u.FileName, active.LoadedAt[UpstreamKey(u.Id)], u.Protocol.ToString().ToLowerInvariant(),
                    u.RequestMapping, u.ReplyMapping, u.ContentHash))]);
        }
    }

    public MappingReloadReport? LastReload => _lastReload;

    public MappingReloadReport? LastRefused => _lastRefused;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var active = _active;
        await RecordAsync(new MappingReloadReport(NewId(), active.Since, MappingReloadReport.Swapped, [], [.. Tags(active.Catalog)], 0, 0, active.Catalog.Digest),
            _lastAttempted, [.. Tags(active.Catalog)]).ConfigureAwait(false);
        if (!_options.Watch)
        {
            return;
        }

        var stopping = new CancellationTokenSource();
        _stopping = stopping;
        Watch(_folder, includeSubdirectories: true);
        foreach (var directory in SchemaDirectories(active.Catalog))
        {
            Watch(directory, includeSubdirectories: false);
        }

        _watching = Task.Run(() => WatchAsync(stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Idempotent, and safe after Dispose: hosts may stop twice, and the container may dispose first.
        var stopping = Interlocked.Exchange(ref _stopping, null);
        if (stopping is null)
        {
            return;
        }

        try
        {
            await stopping.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // already disposed
        }

        DisposeWatchers();
        if (_watching is { } watching)
        {
            try
            {
                await watching.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }

        stopping.Dispose();
    }

    /// <summary>Idempotent: the container disposes the instance once per registration that hands it out.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        DisposeWatchers();
        var stopping = Interlocked.Exchange(ref _stopping, null);
        if (stopping is not null)
        {
            stopping.Cancel();
            stopping.Dispose();
        }
    }

    public Task<MappingReloadReport> ReloadNowAsync(CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    /// <summary>
    /// Wakes on a file-system event or every <see cref="MappingsOptions.PollInterval"/>; reloads when the folder's
    /// content differs from what was last attempted and has stayed the same for <see cref="MappingsOptions.Debounce"/>.
    /// </summary>
    private async Task WatchAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await WaitForChangeOrPollAsync(stopping).ConfigureAwait(false);
                var digest = FolderDigest(_active.Catalog);
                if (digest == _lastAttempted)
                {
                    continue;
                }

                // Debounce: let a writer finish (an editor's save is often several writes).
                string settled;
                while (true)
                {
                    await Task.Delay(_options.Debounce, _time, stopping).ConfigureAwait(false);
                    settled = FolderDigest(_active.Catalog);
                    if (settled == digest)
                    {
                        break;
                    }

                    digest = settled;
                }

                await ReloadAsync(stopping).ConfigureAwait(false);
                RewatchSchemaDirectories();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogWatchProblem(e, _folder);
            }
        }
    }

    private async Task WaitForChangeOrPollAsync(CancellationToken stopping)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var signalled = _changed.WaitAsync(wait.Token);
        var poll = Task.Delay(_options.PollInterval, _time, wait.Token);
        await Task.WhenAny(signalled, poll).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(signalled, poll).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the one that did not finish was cancelled
        }

        stopping.ThrowIfCancellationRequested();
    }

    private async Task<MappingReloadReport> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var active = _active;
            var attempted = FolderDigest(active.Catalog);
            _lastAttempted = attempted;
            var (report, errors) = Check();
            var now = _time.GetUtcNow();
            var passed = report?.SamplesPassed ?? 0;
            var failed = report?.SamplesFailed ?? 0;
            var candidate = report?.Catalog;

            if (errors.Count > 0 || candidate is null)
            {
                var refused = new MappingReloadReport(NewId(), now, MappingReloadReport.Refused, errors, ChangedFiles(active.Catalog), passed, failed, active.Catalog.Digest);
                _lastReload = refused;
                _lastRefused = refused;
                _reloads.Add(1, new KeyValuePair<string, object?>("outcome", refused.Outcome));
                LogRefused(refused.Id, errors.Count, active.Catalog.Digest, string.Join(Environment.NewLine + "  ", errors));
                await RecordAsync(refused, attempted, candidate is null ? [] : Changes(active.Catalog, candidate)).ConfigureAwait(false);
                return refused;
            }

            if (candidate.Digest == active.Catalog.Digest)
            {
                var unchanged = new MappingReloadReport(NewId(), now, MappingReloadReport.Unchanged, [], [], passed, failed, active.Catalog.Digest);
                _lastReload = unchanged;
                _reloads.Add(1, new KeyValuePair<string, object?>("outcome", unchanged.Outcome));
                LogUnchanged(unchanged.Id);
                return unchanged;
            }

            var changes = Changes(active.Catalog, candidate);
            _active = NewActive(candidate, now, LoadedAt(candidate, active, now)); // the swap: one reference write
            var swapped = new MappingReloadReport(NewId(), now, MappingReloadReport.Swapped, [], changes, passed, failed, candidate.Digest);
            _lastReload = swapped;
            _reloads.Add(1, new KeyValuePair<string, object?>("outcome", swapped.Outcome));
            LogSwapped(swapped.Id, string.Join(", ", changes), candidate.All.Count, passed);
            await RecordAsync(swapped, attempted, changes.Where(c => !c.StartsWith('-')).ToList()).ConfigureAwait(false);
            return swapped;
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>Loads the folder, runs every sample and every catalog check; the errors of all.</summary>
    private (MappingFolderReport? Report, List<MappingError> Errors) Check()
    {
        MappingFolderReport report;
        try
        {
            report = MappingLoader.CheckFolder(_folder);
        }
        catch (DirectoryNotFoundException)
        {
            return (null, [new MappingError(_folder, "$", "the mapping folder does not exist")]);
        }

        var errors = report.Errors.ToList();
        if (report.Catalog is { } catalog)
        {
            foreach (var check in _checks)
            {
                errors.AddRange(check.Check(catalog));
            }
        }

        return (report, errors);
    }

    private ValueTask RecordAsync(MappingReloadReport report, string folderDigest, IReadOnlyCollection<string> versions) =>
        _evidence.RecordAsync(new ExchangeRecord
        {
            Client = "hub",
            Operation = SwapOperation,
            Time = report.Time,
            Outcome = report.Outcome == MappingReloadReport.Swapped ? "ok" : report.Outcome,
            RequestDigest = folderDigest,
            ResponseDigest = ExchangeRecord.Digest(string.Join("\n", report.Errors.Select(e => e.ToString()).Append(report.Serving))),
            MappingVersion = versions.Count == 0 ? null : string.Join(",", versions),
            RequestId = report.Id,
        }, CancellationToken.None);

    /// <summary>Version tags that are new or changed (<c>land.reply@2</c>), and removed ones marked <c>-</c>.</summary>
    private static List<string> Changes(MappingCatalog before, MappingCatalog after)
    {
        var changes = new List<string>();
        foreach (var m in after.All)
        {
            if (!before.TryGet(m.Id, out var old) || old.ContentHash != m.ContentHash)
            {
                changes.Add(m.VersionTag);
            }
        }

        changes.AddRange(before.All.Where(m => !after.TryGet(m.Id, out _)).Select(m => $"-{m.VersionTag}"));
        foreach (var u in after.Upstreams)
        {
            if (!before.TryGetUpstream(u.Id, out var old) || old.ContentHash != u.ContentHash)
            {
                changes.Add(u.FileName.Replace(".yaml", $"@{u.Version}", StringComparison.Ordinal));
            }
        }

        changes.AddRange(before.Upstreams.Where(u => !after.TryGetUpstream(u.Id, out _)).Select(u => $"-{u.FileName}"));
        return changes;
    }

    /// <summary>Files whose text differs from the catalog in force (for a refusal, when the new catalog did not even load).</summary>
    private List<string> ChangedFiles(MappingCatalog active)
    {
        var known = active.All.ToDictionary(m => m.FileName, m => m.ContentHash, StringComparer.Ordinal);
        foreach (var u in active.Upstreams)
        {
            known[u.FileName] = u.ContentHash;
        }

        var changed = new List<string>();
        foreach (var (name, path) in MappingFiles())
        {
            try
            {
                var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(path))));
                if (!known.Remove(name, out var old) || old != hash)
                {
                    changed.Add(name);
                }
            }
            catch (IOException)
            {
                changed.Add(name);
            }
        }

        changed.AddRange(known.Keys.Select(k => $"-{k}"));
        return changed;
    }

    private static Dictionary<string, DateTimeOffset> LoadedAt(MappingCatalog catalog, Active? previous, DateTimeOffset now)
    {
        var loaded = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var m in catalog.All)
        {
            var key = MappingKey(m.Id);
            loaded[key] = previous is not null && previous.Catalog.TryGet(m.Id, out var old) && old.ContentHash == m.ContentHash
                ? previous.LoadedAt[key]
                : now;
        }

        foreach (var u in catalog.Upstreams)
        {
            var key = UpstreamKey(u.Id);
            loaded[key] = previous is not null && previous.Catalog.TryGetUpstream(u.Id, out var old) && old.ContentHash == u.ContentHash
                ? previous.LoadedAt[key]
                : now;
        }

        return loaded;
    }

    /// <summary>The mapping files and upstream definitions on disk, by the name reports use.</summary>
    private IEnumerable<(string Name, string Path)> MappingFiles()
    {
        foreach (var path in Directory.GetFiles(_folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            yield return (Path.GetFileName(path), path);
        }

        var upstreams = Path.Combine(_folder, MappingLoader.UpstreamsFolder);
        if (Directory.Exists(upstreams))
        {
            foreach (var path in Directory.GetFiles(upstreams, "*.yaml").Order(StringComparer.Ordinal))
            {
                yield return ($"{MappingLoader.UpstreamsFolder}/{Path.GetFileName(path)}", path);
            }
        }
    }

    /// <summary>
    /// A digest of everything a reload reads: the mapping files, the upstream definitions and the schema folders
    /// the catalog in force uses. Reading a few dozen small files is cheap, and unlike timestamps it never misses a change.
    /// </summary>
    private string FolderDigest(MappingCatalog active)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = MappingFiles().Select(f => f.Path)
            .Concat(SchemaDirectories(active).Where(Directory.Exists).SelectMany(d => Directory.GetFiles(d, "*.json").Order(StringComparer.Ordinal)));
        foreach (var path in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(path));
            try
            {
                sha.AppendData(File.ReadAllBytes(path));
            }
            catch (IOException)
            {
                sha.AppendData("(unreadable)"u8); // being written: the next poll sees it
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private List<string> SchemaDirectories(MappingCatalog catalog) =>
        [.. catalog.All.SelectMany(m => m.SchemaFiles).Select(f => Path.GetDirectoryName(f)!)
            .Where(d => !IsUnder(d, _folder)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static bool IsUnder(string directory, string folder) =>
        (directory + Path.DirectorySeparatorChar).StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private void Watch(string directory, bool includeSubdirectories)
    {
        lock (_watchers)
        {
            var stopping = _stopping;
            if (stopping is null || stopping.IsCancellationRequested || !Directory.Exists(directory) || _watchers.Any(w => w.Path == directory))
            {
                return;
            }

            AddWatcher(directory, includeSubdirectories);
        }
    }

    private void AddWatcher(string directory, bool includeSubdirectories)
    {
        try
        {
            var watcher = new FileSystemWatcher(directory)
            {
                IncludeSubdirectories = includeSubdirectories,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += (_, _) => Signal();
            watcher.Created += (_, _) => Signal();
            watcher.Deleted += (_, _) => Signal();
            watcher.Renamed += (_, _) => Signal();
            watcher.Error += (_, _) => Signal();
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            LogWatchProblem(e, directory); // polling still sees every change
        }
    }

    private void RewatchSchemaDirectories()
    {
        foreach (var directory in SchemaDirectories(_active.Catalog))
        {
            Watch(directory, includeSubdirectories: false);
        }
    }

    private void Signal()
    {
        try
        {
            if (_changed.CurrentCount == 0)
            {
                _changed.Release();
            }
        }
        catch (Exception e) when (e is SemaphoreFullException or ObjectDisposedException)
        {
            // already signalled, or stopping
        }
    }

    private void DisposeWatchers()
    {
        lock (_watchers)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Dispose();
            }

            _watchers.Clear();
        }
    }

    private string NewId() => Guid.CreateVersion7(_time.GetUtcNow()).ToString("N");

    private static IEnumerable<string> Tags(MappingCatalog catalog) =>
        catalog.All.Select(m => m.VersionTag).Concat(catalog.Upstreams.Select(u => $"{MappingLoader.UpstreamsFolder}/{u.VersionTag}"));

    private static string MappingKey(string id) => "m:" + id;

    private static string UpstreamKey(string id) => "u:" + id;

    private Active NewActive(MappingCatalog catalog, DateTimeOffset since, IReadOnlyDictionary<string, DateTimeOffset> loadedAt) =>
        new(_observer is null ? catalog : catalog.ObservedBy(_observer), catalog, since, loadedAt);

    private sealed record Active(MappingCatalog Catalog, MappingCatalog Unobserved, DateTimeOffset Since, IReadOnlyDictionary<string, DateTimeOffset> LoadedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} mappings and {Upstreams} upstream definitions from {Folder} ({Samples} samples passed): {Versions}")]
    private partial void LogLoaded(int count, int upstreams, string folder, int samples, IEnumerable<string> versions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mappings swapped (reload {ReloadId}): {Changes}; {Count} mappings in force, {Samples} samples passed")]
    private partial void LogSwapped(string reloadId, string changes, int count, int samples);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Mapping change refused (reload {ReloadId}), {ErrorCount} errors; the previous mappings ({Serving}) keep serving:\n  {Errors}")]
    private partial void LogRefused(string reloadId, int errorCount, string serving, string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mapping folder read again (reload {ReloadId}): nothing changed in the mappings in force")]
    private partial void LogUnchanged(string reloadId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching {Folder} for mapping changes failed; polling continues")]
    private partial void LogWatchProblem(Exception exception, string folder);
}
