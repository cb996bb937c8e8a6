using System.Text;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Hub.Evidence;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// Issue 15: one outcome vocabulary. Every refusal kind is sent over gRPC and over SOAP, and the evidence record of
/// each carries the same outcome word (before, the gRPC authorization interceptor wrote <c>notfound</c> where the
/// lookup service wrote <c>not_found</c>, and rate-limit refusals left no record at all).
/// </summary>
public sealed class ExchangeOutcomeTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    private const string Operation = "LookupService/GetEnterprise";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Refusal(string Kind, string? Key, string? Client, string Mst, string? Purpose, StatusCode Status, string Outcome);

    [Fact]
    public async Task Every_refusal_kind_has_the_same_outcome_word_in_evidence_over_grpc_and_soap()
    {
        var unknown = UnknownValidMst();
        Refusal[] refusals =
        [
            new("no credentials", null, "anonymous", "2801234564", null, StatusCode.Unauthenticated, "unauthenticated"),
            new("a wrong key", "guessed-key", "anonymous", "2801234564", null, StatusCode.Unauthenticated, "unauthenticated"),
            new("no right to the operation", "onestop-limited-key", "demo-limited", "2801234564", null, StatusCode.PermissionDenied, "permission_denied"),
            new("no declared purpose", SecurityFixture.PurposeKey, "purpose-bound", "2801234564", null, StatusCode.PermissionDenied, "permission_denied"),
            new("a purpose not allowed", SecurityFixture.PurposeKey, "purpose-bound", "2801234564", "marketing", StatusCode.PermissionDenied, "permission_denied"),
            new("a broken check digit", "onestop-demo-key", "demo", "2801234565", null, StatusCode.InvalidArgument, "invalid_argument"),
            new("no such business", "onestop-demo-key", "demo", unknown, null, StatusCode.NotFound, "not_found"),
        ];

        var grpc = new LookupService.LookupServiceClient(fixture.Hub.Grpc);
        using var http = fixture.Hub.CreateHttpClient();
        foreach (var r in refusals)
        {
            var e = await Should.ThrowAsync<RpcException>(() => grpc.GetEnterpriseAsync(Request(r.Mst, r.Purpose), Headers(r.Key), cancellationToken: Ct).ResponseAsync);
            e.StatusCode.ShouldBe(r.Status, r.Kind);
            (await NewestOutcome(http, r.Client!)).ShouldBe(r.Outcome, $"gRPC, {r.Kind}");

            var fault = await Soap(http, r.Key, r.Mst, r.Purpose);
            fault.ShouldContain($"<Code>{CodeName(r.Status)}</Code>", Case.Sensitive, r.Kind);
            (await NewestOutcome(http, r.Client!)).ShouldBe(r.Outcome, $"SOAP, {r.Kind}");
        }

        // Over the rate limit (3 calls an hour for this client): refused before any endpoint runs, still recorded.
        for (var i = 0; i < 3; i++)
        {
            await grpc.GetEnterpriseAsync(Request("2801234564", null), Headers(SecurityFixture.ThrottledKey), cancellationToken: Ct);
        }

        (await Should.ThrowAsync<RpcException>(() => grpc.GetEnterpriseAsync(Request("2801234564", null), Headers(SecurityFixture.ThrottledKey), cancellationToken: Ct).ResponseAsync))
            .StatusCode.ShouldBe(StatusCode.ResourceExhausted);
        (await NewestOutcome(http, "throttled")).ShouldBe("resource_exhausted", "gRPC, over the rate limit");
        (await Soap(http, SecurityFixture.ThrottledKey, "2801234564", null)).ShouldContain("<Code>RESOURCE_EXHAUSTED</Code>");
        (await NewestOutcome(http, "throttled", count: 2)).ShouldBe("resource_exhausted", "SOAP, over the rate limit");
    }

    [Fact]
    public async Task A_refused_admin_call_and_a_failed_one_use_the_lookup_words()
    {
        var admin = new AdminService.AdminServiceClient(fixture.Hub.Grpc);
        using var http = fixture.Hub.CreateHttpClient();

        (await Should.ThrowAsync<RpcException>(() => admin.GetDossierTrailAsync(new GetDossierTrailRequest { MaHoSo = "000.00.01.H56-260101-0001" }, Headers("onestop-limited-key"), cancellationToken: Ct).ResponseAsync))
            .StatusCode.ShouldBe(StatusCode.PermissionDenied);
        (await NewestOutcome(http, "demo-limited", "AdminService/GetDossierTrail")).ShouldBe("permission_denied");

        (await Should.ThrowAsync<RpcException>(() => admin.GetDossierTrailAsync(new GetDossierTrailRequest(), Headers("onestop-demo-key"), cancellationToken: Ct).ResponseAsync))
            .StatusCode.ShouldBe(StatusCode.InvalidArgument);
        (await NewestOutcome(http, "demo", "AdminService/GetDossierTrail")).ShouldBe("invalid_argument", "was 'invalidargument' from the interceptor");
    }

    private static GetEnterpriseRequest Request(string mst, string? purpose) => new()
    {
        MaSoDoanhNghiep = mst,
        Context = purpose is null ? null : new LookupContext { MucDich = purpose },
    };

    private static Metadata Headers(string? key) => key is null ? [] : new Metadata { { "x-api-key", key } };

    private static string CodeName(StatusCode status) => status switch
    {
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.NotFound => "NOT_FOUND",
        _ => status.ToString(),
    };

    private static async Task<string> Soap(HttpClient http, string? key, string mst, string? purpose)
    {
        var context = purpose is null ? "" : $"<Context><MucDich>{purpose}</MucDich></Context>";
        using var content = new StringContent(
            $"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><GetEnterprise xmlns=\"http://onestop.lgsp/lookup/v1\"><request><MaSoDoanhNghiep>{mst}</MaSoDoanhNghiep>{context}</request></GetEnterprise></s:Body></s:Envelope>",
            Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", "\"http://onestop.lgsp/lookup/v1/LookupService/GetEnterprise\"");
        if (key is not null)
        {
            content.Headers.Add("x-api-key", key);
        }

        using var response = await http.PostAsync(new Uri("/soap/lookup", UriKind.Relative), content, Ct);
        response.IsSuccessStatusCode.ShouldBeFalse();
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>The outcome of the newest evidence entry of this client and operation (each exchange is durable before its answer).</summary>
    private static async Task<string> NewestOutcome(HttpClient http, string client, string operation = Operation, int count = 1)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/evidence", UriKind.Relative));
        request.Headers.Add("x-api-key", "onestop-demo-key");
        using var response = await http.SendAsync(request, Ct);
        response.EnsureSuccessStatusCode();
        var entries = (await response.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => EvidenceEntry.Parse(Encoding.UTF8.GetBytes(l)))
            .Where(e => e.Client == client && e.Operation == operation)
            .ToList();
        entries.Count.ShouldBeGreaterThanOrEqualTo(count, $"evidence of {client} calling {operation}");
        var outcomes = entries.TakeLast(count).Select(e => e.Outcome).Distinct().ToList();
        outcomes.Count.ShouldBe(1, $"the newest {count} entries of {client} calling {operation}: {string.Join(", ", outcomes)}");
        return outcomes[0];
    }

    /// <summary>A 10-digit MST with a valid check digit that the business fake does not hold.</summary>
    private string UnknownValidMst()
    {
        int[] weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
        for (var n = 100_000_001; ; n++)
        {
            var digits = n.ToString("000000000", System.Globalization.CultureInfo.InvariantCulture);
            var check = 10 - (digits.Select((d, i) => (d - '0') * weights[i]).Sum() % 11);
            if (check is >= 0 and <= 9 && fixture.Mocks.Business.Data.FindBusiness(digits + check) is null)
            {
                return digits + check;
            }
        }
    }
}
