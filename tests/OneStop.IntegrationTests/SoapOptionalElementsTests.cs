using System.Text.Json.Nodes;
using System.Xml.Linq;
using CsCheck;
using OneStop.IntegrationTests.StandardClients;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// A guard for the future: messages generated (CsCheck) from each endpoint's served WSDL schema, every element of
/// every operation left out, empty, nil or given a value in random combinations. Whatever comes back is a reply or a
/// fault the caller can act on, never INTERNAL; and the required elements alone, with the optional ones left out,
/// empty or nil at any depth, are always served.
/// </summary>
public sealed class SoapOptionalElementsTests(MappingFolderHubFixture fixture) : IClassFixture<MappingFolderHubFixture>
{
    /// <summary>Faults the hub or an upstream may rightly answer with <c>s:Server</c>; every other fault is the caller's (<c>s:Client</c>).</summary>
    private static readonly string[] ServerCodes = ["UNAVAILABLE", "DEADLINE_EXCEEDED", "DATA_LOSS", "FAILED_PRECONDITION"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Any_combination_of_elements_left_out_empty_nil_or_present_is_never_an_internal_error()
    {
        await GenericUpstreamTests.AddCivilStatusRegistryAsync(fixture, Ct);
        using var http = fixture.Hub.CreateHttpClient();
        var sent = 0;
        foreach (var (messages, operation, minimal, full) in await OperationsAsync(http))
        {
            var slots = messages.Slots(operation);
            var gen = Gen.Int[0, 3].Array[slots.Count];
            async Task Send(int[] choices)
            {
                var xml = messages.Envelope(operation, s => (SlotChoice)choices[s.Index], s => Value(s, minimal, full));
                var reply = await RawSoap.PostAsync(http, messages.Endpoint, messages.SoapAction(operation), xml, SoapClients.DemoKey, Ct);
                Interlocked.Increment(ref sent);
                ShouldBeActionable(reply, $"{messages.Endpoint} {operation}: {xml}");
            }

            // The corners first, then random combinations (CsCheck shrinks a failure to a small one and prints its seed).
            foreach (var corner in Enum.GetValues<SlotChoice>())
            {
                await Send([.. slots.Select(_ => (int)corner)]);
            }

            await gen.SampleAsync(Send, iter: 120, threads: 1, print: c => string.Join("", c));
        }

        sent.ShouldBeGreaterThan(6 * 120);
    }

    [Fact]
    public async Task Required_elements_alone_are_served_whatever_optional_elements_are_left_out_empty_or_nil_at_any_depth()
    {
        await GenericUpstreamTests.AddCivilStatusRegistryAsync(fixture, Ct);
        using var http = fixture.Hub.CreateHttpClient();
        foreach (var (messages, operation, minimal, full) in await OperationsAsync(http))
        {
            var slots = messages.Slots(operation);
            var gen = Gen.Int[0, 2].Array[slots.Count];
            async Task Send(int[] choices)
            {
                var xml = messages.Envelope(operation, s => Optional(s, (SlotChoice)choices[s.Index], minimal), s => Value(s, minimal, full));
                var reply = await RawSoap.PostAsync(http, messages.Endpoint, messages.SoapAction(operation), xml, SoapClients.DemoKey, Ct);
                reply.IsFault.ShouldBeFalse($"{messages.Endpoint} {operation}: {reply}\n{xml}");
                reply.Http.ShouldBe(200);
            }

            foreach (var corner in new[] { SlotChoice.Absent, SlotChoice.Empty, SlotChoice.Nil })
            {
                await Send([.. slots.Select(_ => (int)corner)]);
            }

            await gen.SampleAsync(Send, iter: 60, threads: 1, print: c => string.Join("", c));
        }
    }

    /// <summary>
    /// A slot of the minimal message (a required value, or a record on the way to one) is sent with its value; any other
    /// is left out, sent empty where its type allows an empty value, or nil where the schema says it is nillable.
    /// </summary>
    private static SlotChoice Optional(Slot slot, SlotChoice choice, JsonObject minimal)
    {
        if (SoapOperations.At(minimal, slot.Path) is not null)
        {
            return SlotChoice.Present;
        }

        return choice switch
        {
            SlotChoice.Empty when slot.MayBeEmpty => SlotChoice.Empty,
            SlotChoice.Nil when slot.Nillable => SlotChoice.Nil,
            _ => SlotChoice.Absent,
        };
    }

    /// <summary>The minimal message's value, else the full one's, else a plain value of the type; event and dossier ids are fresh.</summary>
    private static XNode[] Value(Slot slot, JsonObject minimal, JsonObject full) => slot.Name.LocalName switch
    {
        "ClientEventId" => [new XText($"generated-{Guid.NewGuid():N}")],
        "MaHoSo" when slot.Path.StartsWith("dossierEvent.", StringComparison.Ordinal) => [new XText(SoapOperations.NewMaHoSo())],
        _ => WsdlMessages.Value(slot, minimal, full),
    };

    private static void ShouldBeActionable(RawSoapReply reply, string what)
    {
        reply.Body.ShouldNotContain("   at ", customMessage: what);
        if (!reply.IsFault)
        {
            reply.Http.ShouldBe(200, what);
            return;
        }

        reply.Code.ShouldNotBeNull(what);
        reply.Code.ShouldNotBe("INTERNAL", $"{what}\n{reply}");
        reply.FaultCode.ShouldBe(ServerCodes.Contains(reply.Code) ? "Server" : "Client", $"{what}\n{reply}");
    }

    private async Task<List<(WsdlMessages Messages, string Operation, JsonObject Minimal, JsonObject Full)>> OperationsAsync(HttpClient http)
    {
        var cases = SoapOperations.Cases("generator").ToList();
        var operations = new List<(WsdlMessages, string, JsonObject, JsonObject)>();
        foreach (var endpoint in SoapOperations.Endpoints)
        {
            var messages = await WsdlMessages.LoadAsync(http, endpoint, Ct);
            foreach (var operation in messages.Operations)
            {
                var mine = cases.Where(c => c.Endpoint == endpoint && c.Operation == operation).ToList();
                operations.Add((messages, operation, mine.Single(c => c.Kind == MessageKind.Minimal).Arguments, mine.Single(c => c.Kind == MessageKind.Full).Arguments));
            }
        }

        operations.Count.ShouldBeGreaterThanOrEqualTo(6);
        return operations;
    }
}
