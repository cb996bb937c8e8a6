using System.Globalization;
using System.Runtime.InteropServices;

namespace OneStop.Mocks;

/// <summary>
/// <c>dotnet run --project mocks/OneStop.Mocks [-- --population-port 5091 --business-port 5092
/// --insurance-port 5093 --land-port 5094 --portal-port 5095 --emc-port 5096 --postal-port 5097 --civil-status-port 5098 --seed 468]</c>.
/// Environment variables <c>ONESTOP_MOCKS_POPULATION_PORT</c>, <c>…_BUSINESS_PORT</c>, <c>…_INSURANCE_PORT</c>,
/// <c>…_LAND_PORT</c>, <c>…_PORTAL_PORT</c>, <c>…_EMC_PORT</c>, <c>…_POSTAL_PORT</c>, <c>…_CIVIL_STATUS_PORT</c> and <c>ONESTOP_MOCKS_SEED</c> do
/// the same; arguments win. Prints only addresses and counts, never personal data.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine("Usage: OneStop.Mocks [--population-port N] [--business-port N] [--insurance-port N] [--land-port N] [--portal-port N] [--emc-port N] [--postal-port N] [--civil-status-port N] [--tsa-port N] [--seed N]");
            return 0;
        }

        NationalMockPorts ports;
        DestinationMockPorts destinationPorts;
        int civilStatusPort;
        int seed;
        int tsaPort;
        try
        {
            var standalone = NationalMockPorts.Standalone;
            ports = new NationalMockPorts
            {
                Population = Setting(args, "population-port", standalone.Population),
                Business = Setting(args, "business-port", standalone.Business),
                Insurance = Setting(args, "insurance-port", standalone.Insurance),
                Land = Setting(args, "land-port", standalone.Land),
            };
            var fixedDestinations = DestinationMockPorts.Standalone;
            destinationPorts = new DestinationMockPorts
            {
                Portal = Setting(args, "portal-port", fixedDestinations.Portal),
                Emc = Setting(args, "emc-port", fixedDestinations.Emc),
                Postal = Setting(args, "postal-port", fixedDestinations.Postal),
            };
            civilStatusPort = Setting(args, "civil-status-port", CivilStatusMock.StandalonePort);
            seed = Setting(args, "seed", SyntheticDataset.DefaultSeed);
            tsaPort = Setting(args, "tsa-port", TimestampAuthorityMock.StandalonePort);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }

        var data = SyntheticDataset.Create(seed);
        await using var mocks = await NationalMocks.StartAsync(data, ports).ConfigureAwait(false);
        await using var destinations = await DestinationMocks.StartAsync(destinationPorts).ConfigureAwait(false);
        await using var civilStatus = await CivilStatusMock.StartAsync(civilStatusPort).ConfigureAwait(false);
        await using var tsa = await TimestampAuthorityMock.StartAsync(tsaPort).ConfigureAwait(false);

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"OneStop national mocks: synthetic data, seed {data.Seed}: {data.Citizens.Count} citizens, {data.Businesses.Count} businesses, {data.InsuranceRecords.Count} insurance records, {data.LandParcels.Count} land parcels"));
        foreach (var mock in mocks.All)
        {
            Console.WriteLine($"  {mock.Name,-10} {mock.Url}  {mock.BusinessEndpoint}  (control, never reset: {mock.ControlUrl})");
        }

        Console.WriteLine("OneStop destination mocks (they record what they are sent):");
        foreach (var mock in destinations.All)
        {
            Console.WriteLine($"  {mock.Name,-10} {mock.Url}  {mock.BusinessEndpoint}  (control, never reset: {mock.ControlUrl})");
        }

        Console.WriteLine("Provincial civil-status registry (the upstream of Mappings/examples, added without code):");
        Console.WriteLine($"  {"civil-status",-10} {civilStatus.Url}  {CivilStatusMock.RestPath} (REST), {CivilStatusMock.SoapPath} (SOAP)");
        Console.WriteLine($"Time-stamping authority (RFC 3161): POST {tsa.Url} (application/timestamp-query); its certificate: GET {tsa.Url}certificate");
        Console.WriteLine($"OAuth2 client credentials: POST /token, client_id={MockServer.DemoClientId} client_secret={MockServer.DemoClientSecret}");
        Console.WriteLine($"Portal: POST {PortalMock.LoginPath} with header dstcode: {PortalMock.DemoDstCode} and {{\"username\":\"{MockServer.DemoClientId}\",\"password\":\"{MockServer.DemoClientSecret}\"}}");
        Console.WriteLine($"EMC SiteId: {EmcMock.DemoSiteId}; postal CustomerCode: {PostalMock.DemoCustomerCode}");
        Console.WriteLine("Faults: POST/GET/DELETE /__faults; business call count: GET/DELETE /__calls;");
        Console.WriteLine("destinations also: GET/DELETE /__sideeffects[?maHoSo=], GET/POST/DELETE /__reject. Ctrl+C stops.");

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stop.TrySetResult();
        });

        await stop.Task.ConfigureAwait(false);
        Console.WriteLine("Stopping.");
        return 0;
    }

    private static int Setting(string[] args, string name, int fallback)
    {
        string? text = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == $"--{name}" && i + 1 < args.Length)
            {
                text = args[i + 1];
            }
            else if (args[i].StartsWith($"--{name}=", StringComparison.Ordinal))
            {
                text = args[i][(name.Length + 3)..];
            }
        }

        text ??= Environment.GetEnvironmentVariable("ONESTOP_MOCKS_" + name.Replace('-', '_').ToUpperInvariant());
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"--{name} must be a non-negative integer, not '{text}'.");
    }
}
