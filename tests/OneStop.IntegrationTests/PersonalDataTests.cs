using System.Text;
using Grpc.Core;
using OneStop.Grpc.V1;
using OneStop.Mocks;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>A hub of its own with the rate limit out of the way: this run looks up the whole synthetic dataset.</summary>
public sealed class FullRunFixture : IAsyncLifetime
{
    public TestSystems Systems { get; private set; } = null!;

    public NationalMocks Mocks { get; private set; } = null!;

    public HubServer Hub { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Systems = await TestSystems.StartAsync();
        Mocks = Systems.National;
        var settings = Systems.Settings();
        settings["Security:RateLimit:PermitsPerPeriod"] = "1000000";
        settings["Security:RateLimit:Burst"] = "1000000";

        // Every line, not only what the shipped configuration lets through: an operator who turns logging up
        // must not turn personal data on with it.
        foreach (var category in new[] { "Default", "Microsoft.AspNetCore", "Microsoft.Hosting.Lifetime", "Polly", "System.Net.Http.HttpClient", "Grpc" })
        {
            settings[$"Logging:LogLevel:{category}"] = "Trace";
        }
        Hub = HubServer.Start(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Systems.DisposeAsync();
    }
}

public sealed class PersonalDataTests(FullRunFixture fixture) : IClassFixture<FullRunFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Metadata Key = new() { { "x-api-key", "onestop-demo-key" } };

    [Fact]
    public async Task No_identifier_name_or_address_of_the_dataset_reaches_logs_or_metrics_in_a_full_run()
    {
        var data = SyntheticDataset.Default;
        var client = new LookupService.LookupServiceClient(fixture.Hub.Grpc);
        var outcomes = new Dictionary<StatusCode, int>();
        var gate = new Lock();

        async Task Call(Func<Task> call)
        {
            var code = StatusCode.OK;
            try
            {
                await call();
            }
            catch (RpcException e)
            {
                code = e.StatusCode;
            }

            lock (gate)
            {
                outcomes[code] = outcomes.GetValueOrDefault(code) + 1;
            }
        }

        var calls = new List<Func<Task>>();
        foreach (var (c, i) in data.Citizens.Select((c, i) => (c, i)))
        {
            // Valid and matching; the right ID with someone else's name (NOT_FOUND); by old ID card; a broken ID around the real one.
            calls.Add(() => client.VerifyCitizenAsync(new VerifyCitizenRequest
            {
                SoDinhDanh = c.SoDinhDanh, HoVaTen = c.HoVaTen, NgayThangNamSinh = c.NgaySinh.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                Context = new LookupContext { MucDich = "tiep-nhan-ho-so", MaDonVi = "000.00.01.H56" },
            }, Key, cancellationToken: Ct).ResponseAsync);
            if (i % 3 == 0)
            {
                calls.Add(() => client.VerifyCitizenAsync(new VerifyCitizenRequest { SoDinhDanh = c.SoDinhDanh, HoVaTen = c.HoVaTen + " X" }, Key, cancellationToken: Ct).ResponseAsync);
            }

            if (c.SoCMND is { } cmnd && i % 4 == 0)
            {
                calls.Add(() => client.VerifyCitizenAsync(new VerifyCitizenRequest { SoCmnd = cmnd, HoVaTen = c.HoVaTen }, Key, cancellationToken: Ct).ResponseAsync);
            }

            if (i % 5 == 0)
            {
                calls.Add(() => client.VerifyCitizenAsync(new VerifyCitizenRequest { SoDinhDanh = c.SoDinhDanh + "7", HoVaTen = c.HoVaTen }, Key, cancellationToken: Ct).ResponseAsync);
                calls.Add(() => client.GetInsuranceAsync(new GetInsuranceRequest { SoDinhDanh = c.SoDinhDanh }, Key, cancellationToken: Ct).ResponseAsync);
            }
        }

        foreach (var b in data.Businesses)
        {
            calls.Add(() => client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = b.MaSoDoanhNghiep }, Key, cancellationToken: Ct).ResponseAsync);
        }

        foreach (var r in data.InsuranceRecords)
        {
            calls.Add(() => client.GetInsuranceAsync(new GetInsuranceRequest { MaSoBhxh = r.MaSoBHXH }, Key, cancellationToken: Ct).ResponseAsync);
        }

        foreach (var p in data.LandParcels)
        {
            calls.Add(() => client.GetLandParcelAsync(new GetLandParcelRequest { MaPhuongXa = p.MaPhuongXa, SoHieuBanDo = p.SoHieuBanDo, SoThuTuThua = p.SoThuTuThua }, Key, cancellationToken: Ct).ResponseAsync);
        }

        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (call, _) => await Call(call));

        // SOAP too, valid and invalid, for a sample: SoapCore and the fault path log differently from gRPC.
        using var http = fixture.Hub.CreateHttpClient();
        foreach (var c in data.Citizens.Where((_, i) => i % 20 == 0))
        {
            foreach (var body in new[]
                     {
                         $"<VerifyCitizen xmlns=\"http://onestop.lgsp/lookup/v1\"><request><SoDinhDanh>{c.SoDinhDanh}</SoDinhDanh><HoVaTen>{c.HoVaTen}</HoVaTen></request></VerifyCitizen>",
                         $"<VerifyCitizen xmlns=\"http://onestop.lgsp/lookup/v1\"><request><SoDinhDanh>{c.SoDinhDanh}x</SoDinhDanh><HoVaTen>{c.HoVaTen}</HoVaTen></request></VerifyCitizen>",
                         $"<GetLandParcel xmlns=\"http://onestop.lgsp/lookup/v1\"><request><MaPhuongXa>16012</MaPhuongXa><SoHieuBanDo>{c.SoDinhDanh}</SoHieuBanDo></request></GetLandParcel>",
                         $"<VerifyCitizen xmlns=\"http://onestop.lgsp/lookup/v1\"><request><SoDinhDanh>{c.SoDinhDanh}</SoDinhDanh><HoVaTen>{c.ThuongTru.ChiTiet}</Ho",
                     })
            {
                var operation = body[1..body.IndexOf(' ', StringComparison.Ordinal)];
                using var content = new StringContent($"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>{body}</s:Body></s:Envelope>", Encoding.UTF8, "text/xml");
                content.Headers.Add("SOAPAction", $"\"http://onestop.lgsp/lookup/v1/LookupService/{operation}\"");
                content.Headers.Add("x-api-key", "onestop-demo-key");
                using var response = await http.PostAsync(new Uri("/soap/lookup", UriKind.Relative), content, Ct);
            }
        }

        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), Ct);

        outcomes[StatusCode.OK].ShouldBeGreaterThan(2000);
        outcomes[StatusCode.NotFound].ShouldBeGreaterThan(300);
        outcomes[StatusCode.InvalidArgument].ShouldBeGreaterThan(150);

        var needles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in data.Citizens)
        {
            needles.Add(c.SoDinhDanh);
            needles.Add(c.HoVaTen);
            needles.Add(c.ThuongTru.ChiTiet);
            needles.Add(c.NoiOHienTai.ChiTiet);
            if (c.SoCMND is { } cmnd)
            {
                needles.Add(cmnd);
            }
        }

        foreach (var r in data.InsuranceRecords)
        {
            needles.Add(r.MaSoBHXH);
            needles.Add(r.TheBHYT.MaThe);
        }

        foreach (var b in data.Businesses)
        {
            needles.Add(b.MaSoDoanhNghiep);
            foreach (var a in b.DiaChiTruSo)
            {
                needles.Add(a.ChiTiet);
            }
        }

        foreach (var p in data.LandParcels)
        {
            needles.Add(p.DiaChiChiTiet);
        }

        var lines = fixture.Hub.Logs.Lines.ToList();
        lines.Count.ShouldBeGreaterThan(2000); // the run was logged: one line per lookup at least
        lines.ShouldContain(l => l.Contains("*********123", StringComparison.Ordinal)); // masked IDs are how lookups are told apart

        var leaks = lines.Append(metrics)
            .SelectMany(line => needles.Where(n => line.Contains(n, StringComparison.Ordinal)).Select(n => $"{n} in: {line[..Math.Min(line.Length, 300)]}"))
            .Take(10).ToList();
        leaks.ShouldBeEmpty();
    }
}
