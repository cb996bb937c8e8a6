using System.Xml.Linq;
using OneStop.IntegrationTests.StandardClients;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// The hub as provincial systems on other platforms call it: Python's zeep and PHP's SoapClient, as real processes,
/// generate every call from the served WSDL. Every operation of every SOAP endpoint is called with a minimal message
/// (required elements only: standard clients leave the optional ones out), a full one, and one missing a required
/// value, and each reply or fault is checked.
/// </summary>
public sealed class StandardSoapClientTests(MappingFolderHubFixture fixture) : IClassFixture<MappingFolderHubFixture>
{
    private static readonly XNamespace Wsdl = "http://schemas.xmlsoap.org/wsdl/";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("zeep")]
    [InlineData("php")]
    public async Task Standard_client_calls_every_operation_of_every_endpoint_with_minimal_full_and_faulty_messages(string clientName)
    {
        await GenericUpstreamTests.AddCivilStatusRegistryAsync(fixture, Ct);
        var client = StandardSoapClient.All[clientName];
        var cases = SoapOperations.Cases(clientName).ToList();
        var failures = new List<string>();
        var calls = 0;
        foreach (var endpoint in SoapOperations.Endpoints)
        {
            var wsdl = new Uri(fixture.Hub.HttpAddress, endpoint + "?wsdl");
            var mine = cases.Where(c => c.Endpoint == endpoint).ToList();
            await ShouldCoverEveryOperationAsync(wsdl, mine);

            var results = await client.CallAsync(wsdl, SoapClients.DemoKey, [.. mine.Select(c => (c.Operation, c.Arguments))], Ct);
            results.Count.ShouldBe(mine.Count);
            for (var i = 0; i < mine.Count; i++)
            {
                calls++;
                try
                {
                    mine[i].Expect(results[i]);
                }
                catch (ShouldAssertException e)
                {
                    failures.Add($"{client} {mine[i]}: got {results[i]}: {e.Message.Split('\n')[0]}");
                }
            }
        }

        failures.ShouldBeEmpty();
        calls.ShouldBe(cases.Count);
    }

    /// <summary>The table has a minimal, a full and a faulty message for every operation the endpoint's WSDL serves, and no others.</summary>
    private async Task ShouldCoverEveryOperationAsync(Uri wsdl, List<SoapOperationCase> cases)
    {
        using var http = fixture.Hub.CreateHttpClient();
        var served = XDocument.Parse(await http.GetStringAsync(wsdl, Ct))
            .Descendants(Wsdl + "portType").Descendants(Wsdl + "operation").Select(o => (string)o.Attribute("name")!).ToList();
        served.ShouldNotBeEmpty();
        cases.Select(c => c.Operation).Distinct().ShouldBe(served, ignoreOrder: true);
        foreach (var operation in served)
        {
            cases.Where(c => c.Operation == operation).Select(c => c.Kind).ShouldBe(Enum.GetValues<MessageKind>(), ignoreOrder: true, $"{wsdl} {operation}");
        }
    }
}
