using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Hub.Security;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// Issue 8's proof under faults: inbound dossiers for ten agencies, half pushed by the portal and half submitted
/// online and pulled by the hub's scheduled jobs, while the hub (its own OS process) is SIGKILLed and restarted, the
/// portal's pull services are down for a while, and every agency's one-stop system (its own client, owning only its
/// agency) disconnects and reconnects at random, sometimes losing acknowledgements it had not sent yet. Kafka and
/// the fakes live in the test process and outlive every hub process. Counted at the subscribers: every dossier
/// reaches its own agency's subscriber and no other, none is lost, no subscription opened after an acknowledgement
/// was confirmed carries it again; redeliveries of unacknowledged messages and repeats on the topic (the crash window
/// between a record and its de-duplication entry) are counted, printed and bounded.
/// </summary>
public sealed class InboundFaultProofTests
{
    private const int Agencies = 10;
    private const int Kills = 3;
    private const int Pushers = 4;
    private const int PushBatch = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Dossiers in all (half pushed, half pulled): the issue's 2,000, or <c>ONESTOP_INBOUND_PROOF_DOSSIERS</c>.</summary>
    private static int Dossiers =>
        int.TryParse(Environment.GetEnvironmentVariable("ONESTOP_INBOUND_PROOF_DOSSIERS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 40
            ? n - (n % (2 * Agencies)) : 2000;

    [Fact]
    public async Task Every_inbound_dossier_reaches_its_own_agency_across_SIGKILLs_a_portal_outage_and_subscriber_reconnects()
    {
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        overall.CancelAfter(TimeSpan.FromMinutes(15));
        var ct = overall.Token;
        var output = TestContext.Current.TestOutputHelper!;

        using var kafka = new TestKafkaCluster();
        await using var systems = await TestSystems.StartAsync();
        var portal = systems.Destinations.Portal;
        var agencies = PortalMock.DemoAgencies.Take(Agencies).Select(a => a.MaCoQuan).ToList();
        var attachments = Path.Combine(Path.GetTempPath(), "onestop-tests", $"attachments-{Guid.NewGuid():N}");
        var settings = systems.Settings();
        settings["Kafka:BootstrapServers"] = kafka.BootstrapServers;
        settings["Kafka:SessionTimeoutMs"] = "6000";
        settings["Security:RateLimit:PermitsPerPeriod"] = "100000"; // bulk clients: the per-client limit is not under test here
        settings["Security:RateLimit:Burst"] = "100000";
        settings["Inbound:PullInterval"] = "00:00:01";
        settings["Inbound:InitialBackoff"] = "00:00:00.200";
        settings["Inbound:MaxBackoff"] = "00:00:02";
        settings["Inbound:AttachmentsPath"] = attachments;
        for (var i = 0; i < agencies.Count; i++)
        {
            settings[$"Inbound:Agencies:{i}"] = agencies[i];
            settings[$"Security:Clients:{ClientOf(i)}:ApiKeyHash"] = ApiKeys.Hash(KeyOf(i));
            settings[$"Security:Clients:{ClientOf(i)}:Operations:0"] = "InboundService/*";
            settings[$"Security:Clients:{ClientOf(i)}:Agencies:0"] = agencies[i];
        }

        await using var hub = new HubProcess(settings);
        await hub.StartAsync(ct);
        var subscribers = agencies.Select((a, i) => new Subscriber(a, new InboundService.InboundServiceClient(hub.Grpc.WithApiKey(KeyOf(i))), seed: 8 + i)).ToList();
        using var stopSubscribers = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var subscriberTasks = subscribers.SelectMany(s => new[] { s.RunAsync(stopSubscribers.Token), s.AckLoopAsync(stopSubscribers.Token) }).ToList();

        try
        {
            // Push: the portal sends its half in batches, each batch again until the hub answers it (a batch may
            // meet a dead hub, or be appended and not answered before a kill: the retry then says duplicate).
            var perHalf = Dossiers / 2;
            var pushed = Enumerable.Range(0, perHalf).Select(i => (Agency: agencies[i % Agencies], MaHoSo: $"{agencies[i % Agencies]}-261101-{(i / Agencies) + 1:D4}")).ToList();
            var answered = 0;
            var pushRetries = 0;
            var outcomes = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            var batches = new ConcurrentQueue<List<(string Agency, string MaHoSo)>>(pushed.Chunk(PushBatch).Select(c => c.ToList()));
            using var http = new HttpClient { BaseAddress = hub.HttpAddress, Timeout = TimeSpan.FromSeconds(10) };
            var pushers = Enumerable.Range(0, Pushers).Select(_ => Task.Run(async () =>
            {
                while (batches.TryDequeue(out var batch))
                {
                    var deadline = DateTime.UtcNow.AddMinutes(4);
                    while (true)
                    {
                        ct.ThrowIfCancellationRequested();
                        if (await TryPushAsync(http, batch, ct) is { } result)
                        {
                            foreach (var (maHoSo, status) in result)
                            {
                                outcomes.AddOrUpdate(maHoSo, status, (_, first) => first == "accepted" ? first : status);
                            }

                            Interlocked.Add(ref answered, batch.Count);
                            break;
                        }

                        DateTime.UtcNow.ShouldBeLessThan(deadline, "a push batch is answered within 4 minutes of retries");
                        Interlocked.Increment(ref pushRetries);
                        await Task.Delay(300, ct);
                    }

                    await Task.Delay(100, ct);
                }
            }, ct)).ToList();

            // Pull: citizens submit the other half online, at the pace of the pushes (the tail after them).
            var submitted = new List<PortalOnlineDossier>();
            var submittedCount = 0;
            var submitter = Task.Run(async () =>
            {
                for (var i = 0; i < perHalf; i++)
                {
                    while (i > Volatile.Read(ref answered) + 20 && pushers.Any(p => !p.IsCompleted))
                    {
                        await Task.Delay(20, ct);
                    }

                    lock (submitted)
                    {
                        submitted.Add(portal.SubmitOnline(agencies[i % Agencies]));
                    }

                    Interlocked.Increment(ref submittedCount);
                }
            }, ct);

            // The faults, each at its point of the pushes (in order, none skipped): three SIGKILLs and restarts, and
            // the portal's pull services down from the second point to the fourth.
            var portalDownAt = perHalf * 3 / 10;
            var portalUpAt = perHalf * 6 / 10;
            var pullCallsWhileDown = 0;
            var portalWasDown = false;
            (int At, string What)[] faults = [(perHalf / 5, "kill"), (portalDownAt, "portal down"), (perHalf * 9 / 20, "kill"), (portalUpAt, "portal up"), (perHalf * 7 / 10, "kill")];
            foreach (var (at, what) in faults)
            {
                while (Volatile.Read(ref answered) < at && pushers.Any(p => !p.IsCompleted))
                {
                    await Task.Delay(20, ct);
                }

                pushers.Where(p => p.IsFaulted).Select(p => p.Exception).FirstOrDefault().ShouldBeNull();
                switch (what)
                {
                    case "kill":
                        hub.Kill();
                        await Task.Delay(500, ct);
                        await hub.StartAsync(ct);
                        break;
                    case "portal down":
                        portal.Faults.Status5xx = -1;
                        portalWasDown = true;
                        pullCallsWhileDown = portal.PullCalls;
                        break;
                    default:
                        portal.Faults.Status5xx = 0;
                        break;
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {what} at {Volatile.Read(ref answered)} pushes answered, {Volatile.Read(ref submittedCount)} submitted online"));
            }

            await Task.WhenAll(pushers);
            portal.Faults.Status5xx = 0;
            await submitter;
            portalWasDown.ShouldBeTrue();

            // Every pushed dossier was answered accepted or duplicate (never invalid, never unanswered).
            outcomes.Count.ShouldBe(perHalf);
            outcomes.Values.ShouldAllBe(s => s == "accepted" || s == "duplicate");
            var expected = pushed.Select(p => (p.Agency, p.MaHoSo)).Concat(submitted.Select(s => (Agency: s.DonViXuLy, s.MaHoSo)))
                .GroupBy(x => x.Agency).ToDictionary(g => g.Key, g => g.Select(x => x.MaHoSo).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

            // Wait (bounded) until every subscriber holds its agency's dossiers and has acknowledged all it received.
            var settleBy = DateTime.UtcNow.AddMinutes(5);
            while (DateTime.UtcNow < settleBy && subscribers.Any(s => !s.Complete(expected[s.Agency])))
            {
                await Task.Delay(500, ct);
            }

            await Task.Delay(2000, ct); // anything still in flight shows up now
            await stopSubscribers.CancelAsync();
            await Task.WhenAll(subscriberTasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

            // The systems come back once more and drain what they had not acknowledged (dropped acknowledgements, or an
            // Ack whose answer a kill cut off): Fetch and Ack until a fetch is empty. A message whose acknowledgement
            // was confirmed must not be among them.
            var drained = new Dictionary<string, int>(StringComparer.Ordinal);
            var leftOver = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (s, i) in subscribers.Select((s, i) => (s, i)))
            {
                var client = new InboundService.InboundServiceClient(hub.Grpc.WithApiKey(KeyOf(i)));
                drained[s.Agency] = 0;
                for (var round = 0; round < 10; round++)
                {
                    var startedAt = DateTime.UtcNow;
                    var fetched = await client.FetchAsync(new FetchRequest { Agencies = { s.Agency }, MaxMessages = 500 }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct);
                    leftOver[s.Agency] = fetched.Messages.Count;
                    if (fetched.Messages.Count == 0)
                    {
                        break;
                    }

                    s.Record(fetched.Messages, startedAt);
                    drained[s.Agency] += fetched.Messages.Count;
                    await client.AckAsync(new AckRequest { DeliveryIds = { fetched.Messages.Select(m => m.DeliveryId) } }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct);
                }
            }

            // The mock cluster drops a partition's oldest records beyond 5 MB: prove it did not (else "none lost" would be luck).
            var lowWatermarks = LowWatermarks(kafka.BootstrapServers, "onestop.inbound");

            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"inbound fault proof: {Dossiers} dossiers for {Agencies} agencies ({perHalf} pushed in batches of {PushBatch}, {perHalf} pulled), hub started {hub.Starts} times ({Kills} SIGKILLs), portal down while pushes {portalDownAt}..{portalUpAt} were answered ({portal.PullCalls - pullCallsWhileDown} pull calls since it went down)");
            report.AppendLine(CultureInfo.InvariantCulture, $"push: {outcomes.Values.Count(v => v == "accepted")} first answered accepted, {outcomes.Values.Count(v => v == "duplicate")} answered duplicate after a retry of an unanswered batch, {pushRetries} batch retries");
            var lost = 0;
            var foreign = 0;
            var afterConfirmedAck = 0;
            var redelivered = 0;
            var topicRepeats = 0;
            var outOfOrder = 0;
            foreach (var s in subscribers)
            {
                var received = s.All.ToList();
                var dossiers = received.Where(r => r.Kind == "dossier").ToList();
                var missing = expected[s.Agency].Except(dossiers.Select(r => r.MaHoSo)).Count();
                var notMine = received.Count(r => r.Agency != s.Agency || r.DonViXuLy != s.Agency || !expected[s.Agency].Contains(r.MaHoSo));
                var violations = received.Count(r => s.ConfirmedAt(r.DeliveryId) is { } at && r.SessionStartedAt > at);
                var redeliveries = received.Count - received.Select(r => r.DeliveryId).Distinct(StringComparer.Ordinal).Count();
                var repeats = dossiers.GroupBy(r => r.MaHoSo).Sum(g => g.Select(r => r.DeliveryId).Distinct(StringComparer.Ordinal).Count() - 1);
                var disorder = received.GroupBy(r => r.Session).Count(g => !IsIncreasing(g.Select(r => Offset(r.DeliveryId))));
                lost += missing;
                foreign += notMine;
                afterConfirmedAck += violations;
                redelivered += redeliveries;
                topicRepeats += repeats;
                outOfOrder += disorder;
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"{s.Agency}: expected {expected[s.Agency].Count}, received {received.Count} in {s.Sessions} subscribe calls ({s.Disconnects} disconnects by the subscriber, {s.AbruptDisconnects} of them losing unsent acks; {s.StreamErrors} calls broken or refused by a dead or starting hub), missing {missing}, not its own {notMine}, after a confirmed ack {violations}, redeliveries of unacknowledged {redeliveries}, repeats on the topic {repeats}, sessions out of order {disorder}, drained at the end {drained[s.Agency]}, left after the drain {leftOver[s.Agency]}");
            }

            report.AppendLine(CultureInfo.InvariantCulture,
                $"totals: lost {lost}, delivered to another agency {foreign}, redelivered after a confirmed ack {afterConfirmedAck}, redeliveries of unacknowledged messages {redelivered}, repeats on the topic {topicRepeats}, inbound topic low watermarks {string.Join(',', lowWatermarks)}");
            output.WriteLine(report.ToString());
            var reportFile = Path.Combine(Path.GetTempPath(), "onestop-tests", "inbound-fault-proof.txt");
            await File.WriteAllTextAsync(reportFile, report.ToString(), ct); // the numbers, also when the test passes (the runner shows output only on failure)

            lowWatermarks.ShouldAllBe(w => w == 0, "the mock cluster dropped no inbound record");
            lost.ShouldBe(0, report.ToString());
            foreign.ShouldBe(0, report.ToString());
            afterConfirmedAck.ShouldBe(0, report.ToString());
            outOfOrder.ShouldBe(0, report.ToString());
            leftOver.Values.ShouldAllBe(n => n == 0, report.ToString());

            // A repeat on the topic comes only from a crash between a dossier's record and its de-duplication entry:
            // at most the dossiers being accepted at each kill (every pusher's batch, one pull per agency).
            topicRepeats.ShouldBeLessThanOrEqualTo(Kills * ((Pushers * PushBatch) + Agencies), report.ToString());
        }
        finally
        {
            await stopSubscribers.CancelAsync();
            portal.Faults.Status5xx = 0;
            if (Directory.Exists(attachments))
            {
                Directory.Delete(attachments, recursive: true);
            }
        }
    }

    private static string ClientOf(int i) => $"agency-{i:D2}";

    private static string KeyOf(int i) => $"onestop-agency-{i:D2}-key";

    private static long Offset(string deliveryId) => long.Parse(deliveryId[(deliveryId.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);

    private static bool IsIncreasing(IEnumerable<long> values)
    {
        var last = long.MinValue;
        foreach (var v in values)
        {
            if (v <= last)
            {
                return false;
            }

            last = v;
        }

        return true;
    }

    /// <summary>One push of a batch; null when the hub did not answer it (dead, starting, or Kafka did not acknowledge).</summary>
    private static async Task<IReadOnlyList<(string MaHoSo, string Status)>?> TryPushAsync(HttpClient http, List<(string Agency, string MaHoSo)> batch, CancellationToken ct)
    {
        var items = new JsonArray([.. batch.Select(b => (JsonNode)InboundTests.Item(b.MaHoSo, b.Agency))]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/dvcqg/v1/ho-so")
        {
            Content = new StringContent(new JsonObject { ["data"] = items }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", InboundFixture.PortalKey);
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            var result = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["result"]!.AsArray();
            return [.. result.Select(r => (r!["MaHoSo"]!.GetValue<string>(), r["status"]!.GetValue<string>()))];
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private static List<long> LowWatermarks(string bootstrap, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "inbound-proof-watermarks" }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => p.PartitionId).ToList();
        partitions.ShouldNotBeEmpty();
        return [.. partitions.Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).Low.Value)];
    }

    private sealed record Received(string DeliveryId, string Kind, string Agency, string DonViXuLy, string MaHoSo, int Session, DateTime SessionStartedAt);

    /// <summary>
    /// One agency's one-stop system: holds a subscription, acknowledges what it received every 250 ms, and ends its
    /// subscription after a random 5 to 60 messages or 0.3 to 4 s, half the time dropping what it had not
    /// acknowledged yet (as a crash would).
    /// </summary>
    private sealed class Subscriber(string agency, InboundService.InboundServiceClient client, int seed)
    {
        private readonly Random _random = new(seed);
        private readonly object _gate = new();
        private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DateTime> _confirmed = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<Received> _received = new();
        private int _sessions;

        public string Agency { get; } = agency;

        public IEnumerable<Received> All => _received;

        public int Sessions => Volatile.Read(ref _sessions);

        public int Disconnects { get; private set; }

        public int AbruptDisconnects { get; private set; }

        public int StreamErrors { get; private set; }

        public DateTime? ConfirmedAt(string deliveryId)
        {
            lock (_gate)
            {
                return _confirmed.TryGetValue(deliveryId, out var at) ? at : null;
            }
        }

        /// <summary>Every expected dossier received, and no acknowledgement waiting to be sent.</summary>
        public bool Complete(HashSet<string> expected)
        {
            lock (_gate)
            {
                var have = _received.Where(r => r.Kind == "dossier").Select(r => r.MaHoSo).ToHashSet(StringComparer.Ordinal);
                return expected.IsSubsetOf(have) && _pending.Count == 0;
            }
        }

        /// <summary>Messages of a final fetch (a session of its own).</summary>
        public void Record(IEnumerable<InboundMessage> messages, DateTime startedAt)
        {
            var session = Interlocked.Increment(ref _sessions);
            foreach (var m in messages)
            {
                _received.Enqueue(new Received(m.DeliveryId, m.Kind, m.Agency, m.Dossier?.DonViXuLy ?? "", m.Dossier?.MaHoSo ?? "", session, startedAt));
            }
        }

        public async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var session = Interlocked.Increment(ref _sessions);
                var startedAt = DateTime.UtcNow;
                var limit = _random.Next(5, 60);
                var lifetime = TimeSpan.FromMilliseconds(_random.Next(300, 4000));
                var abrupt = _random.Next(2) == 0;
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
                cts.CancelAfter(lifetime);
                try
                {
                    using var call = client.Subscribe(new SubscribeRequest { Agencies = { Agency } }, cancellationToken: cts.Token);
                    var n = 0;
                    while (n < limit && await call.ResponseStream.MoveNext(cts.Token))
                    {
                        var m = call.ResponseStream.Current;
                        _received.Enqueue(new Received(m.DeliveryId, m.Kind, m.Agency, m.Dossier?.DonViXuLy ?? "", m.Dossier?.MaHoSo ?? "", session, startedAt));
                        lock (_gate)
                        {
                            _pending.Add(m.DeliveryId);
                        }

                        n++;
                    }
                }
                catch (Exception e) when (!stop.IsCancellationRequested && cts.IsCancellationRequested && e is RpcException { StatusCode: StatusCode.Cancelled } or OperationCanceledException)
                {
                    // the planned end of this session (its lifetime passed)
                }
                catch (RpcException) when (!stop.IsCancellationRequested)
                {
                    StreamErrors++; // the hub died or is starting: connect again shortly
                    await Task.Delay(300, CancellationToken.None);
                    continue;
                }
                catch (Exception e) when (stop.IsCancellationRequested && e is RpcException or OperationCanceledException)
                {
                    return;
                }

                // The system goes away: half the time it crashed and lost what it had not acknowledged yet.
                Disconnects++;
                if (abrupt)
                {
                    lock (_gate)
                    {
                        _pending.Clear();
                    }

                    AbruptDisconnects++;
                }
            }
        }

        public async Task AckLoopAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(250, stop);
                List<string> batch;
                lock (_gate)
                {
                    batch = [.. _pending];
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                try
                {
                    await client.AckAsync(new AckRequest { DeliveryIds = { batch } }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: stop);
                    var at = DateTime.UtcNow;
                    lock (_gate)
                    {
                        foreach (var id in batch)
                        {
                            _pending.Remove(id);
                            _confirmed.TryAdd(id, at);
                        }
                    }
                }
                catch (RpcException) when (!stop.IsCancellationRequested)
                {
                    // not confirmed: keep them and try again
                }
            }
        }
    }
}
