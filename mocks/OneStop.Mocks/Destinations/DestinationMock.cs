using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using OneStop.Mocks.Internal;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OneStop.Mocks;

/// <summary>
/// A fake destination of dossier events (national portal, EMC, postal operator). On top of <see cref="MockServer"/>
/// it records every side effect in order, honours the <c>Idempotency-Key</c> header (a key seen before on a
/// successful call gets the first reply again and changes nothing), and can refuse one dossier on demand.
/// Over HTTP: <c>GET/DELETE /__sideeffects</c> and <c>GET/POST/DELETE /__reject</c>.
/// </summary>
public abstract class DestinationMock : MockServer
{
    /// <summary>The request header carrying the hub's idempotency key.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly List<SideEffect> _sideEffects = [];
    private readonly Dictionary<string, MockReply> _repliesByKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _rejected = new(StringComparer.Ordinal);
    private int _duplicatesSuppressed;

    private protected DestinationMock(string name, TimeProvider? timeProvider)
        : base(name, timeProvider)
    {
    }

    /// <summary>Held while a call reads and changes the destination's state, so each call is atomic.</summary>
    private protected object Gate { get; } = new();

    /// <summary>Every side effect so far, in order.</summary>
    public IReadOnlyList<SideEffect> SideEffects
    {
        get
        {
            lock (Gate)
            {
                return [.. _sideEffects];
            }
        }
    }

    /// <summary>The side effects after the first <paramref name="start"/>, in order: lets a watcher read only what is new.</summary>
    public IReadOnlyList<SideEffect> SideEffectsFrom(int start)
    {
        lock (Gate)
        {
            return start >= _sideEffects.Count ? [] : _sideEffects.GetRange(start, _sideEffects.Count - start);
        }
    }

    /// <summary>The side effects on one dossier (postal: one OrderNumber), in order.</summary>
    public IReadOnlyList<SideEffect> SideEffectsFor(string maHoSo)
    {
        lock (Gate)
        {
            return [.. _sideEffects.Where(e => string.Equals(e.MaHoSo, maHoSo, StringComparison.Ordinal))];
        }
    }

    public int SideEffectCount
    {
        get
        {
            lock (Gate)
            {
                return _sideEffects.Count;
            }
        }
    }

    /// <summary>Calls answered from an idempotency key seen before, without a second side effect.</summary>
    public int DuplicatesSuppressed => Volatile.Read(ref _duplicatesSuppressed);

    /// <summary>Dossiers the destination refuses (business refusal) until <see cref="AcceptDossier"/>.</summary>
    public IReadOnlyCollection<string> RejectedDossiers => [.. _rejected.Keys.Order(StringComparer.Ordinal)];

    /// <summary>From now on every write about <paramref name="maHoSo"/> is refused as a business error (for parking tests).</summary>
    public void RejectDossier(string maHoSo)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(maHoSo);
        _rejected[maHoSo] = 0;
    }

    /// <summary>Stops refusing <paramref name="maHoSo"/>.</summary>
    public void AcceptDossier(string maHoSo) => _rejected.TryRemove(maHoSo, out _);

    /// <summary>Forgets side effects, idempotency keys, refusals and the destination's state (dossiers, orders).</summary>
    public void Reset()
    {
        lock (Gate)
        {
            _sideEffects.Clear();
            _repliesByKey.Clear();
            _rejected.Clear();
            Interlocked.Exchange(ref _duplicatesSuppressed, 0);
            ResetState();
        }
    }

    /// <summary>Clears what the destination holds (dossiers, orders); called under <see cref="Gate"/>.</summary>
    private protected abstract void ResetState();

    private protected bool IsRejected(string? maHoSo) => maHoSo is not null && _rejected.ContainsKey(maHoSo);

    private protected static string? IdempotencyKey(IRequestMessage request) =>
        Http.Header(request, IdempotencyKeyHeader) is { Length: > 0 } key ? key : null;

    /// <summary>Under <see cref="Gate"/>: the reply of an earlier successful call with this key, if any (counted as suppressed).</summary>
    private protected bool TryReplay(string? key, out MockReply reply)
    {
        if (key is not null && _repliesByKey.TryGetValue(key, out var first))
        {
            Interlocked.Increment(ref _duplicatesSuppressed);
            reply = first;
            return true;
        }

        reply = null!;
        return false;
    }

    /// <summary>Under <see cref="Gate"/>: remembers the reply of a successful call, so the same key gets it again.</summary>
    private protected MockReply Remember(string? key, MockReply reply)
    {
        if (key is not null)
        {
            _repliesByKey[key] = reply;
        }

        return reply;
    }

    /// <summary>Under <see cref="Gate"/>: records one side effect.</summary>
    private protected void Record(string maHoSo, string operation, string? status, string? key, JsonNode? payload) =>
        _sideEffects.Add(new SideEffect(
            _sideEffects.Count + 1,
            maHoSo,
            operation,
            status,
            key,
            TimeProvider.GetUtcNow(),
            payload?.ToJsonString(Json.Relaxed) ?? "{}"));

    private protected override void MapMoreEndpoints(WireMockServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        server.Given(Request.Create().WithPath("/__sideeffects").UsingGet())
            .RespondWith(Response.Create().WithCallback(SideEffectsReply));
        server.Given(Request.Create().WithPath("/__sideeffects").UsingDelete())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                Reset();
                return SideEffectsReply(request);
            }));
        server.Given(Request.Create().WithPath("/__reject").UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => RejectedReply()));
        server.Given(Request.Create().WithPath("/__reject").UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var maHoSo = Json.Text(Json.ParseObject(Http.Body(request))?["maHoSo"]);
                if (string.IsNullOrWhiteSpace(maHoSo))
                {
                    return Http.Json(400, """{"error":"expected {\"maHoSo\":\"…\"}"}""");
                }

                RejectDossier(maHoSo);
                return RejectedReply();
            }));
        server.Given(Request.Create().WithPath("/__reject").UsingDelete())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                if (Http.Query(request, "maHoSo") is { Length: > 0 } maHoSo)
                {
                    AcceptDossier(maHoSo);
                }
                else
                {
                    _rejected.Clear();
                }

                return RejectedReply();
            }));
    }

    private IResponseMessage SideEffectsReply(IRequestMessage request)
    {
        var maHoSo = Http.Query(request, "maHoSo");
        var effects = string.IsNullOrEmpty(maHoSo) ? SideEffects : SideEffectsFor(maHoSo);
        return Http.Json(200, new SideEffectsState(effects.Count, DuplicatesSuppressed, effects), WireJsonContext.Wire.SideEffectsState);
    }

    private IResponseMessage RejectedReply() =>
        Http.Json(200, new RejectedState([.. RejectedDossiers]), WireJsonContext.Wire.RejectedState);
}
