using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Confluent.Kafka;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneStop.Grpc.V1;
using OneStop.Hub.Kafka.Internal;

namespace OneStop.Benchmarks;

/// <summary>
/// The floor under the lookup benchmark's ratio: the least any gRPC-to-HTTP hub built from the same parts
/// (Grpc.AspNetCore on Kestrel, HttpClient, System.Text.Json, Confluent.Kafka) costs on this machine. A process of its
/// own answers <c>GetEnterprise</c> by sending the business adapter's GET to the business fake and copying the reply
/// into the gRPC message by hand: no authentication, authorization, rate limit, resilience pipeline, mapping engine,
/// evidence, metrics, tracing or logging. Given a Kafka address it also writes one 600-byte record per call (acks=all,
/// idempotent, through the hub's own group-commit writer, so concurrent calls share requests) and answers only when
/// it is acknowledged: the least that "no answered exchange lacks its durable record" costs. It is not a hub: it only shows how far the
/// transports alone let a hub come to the direct path.
/// </summary>
internal static class LookupRelay
{
    /// <summary>Child process entry: <c>relay &lt;port&gt; &lt;business url&gt; &lt;bearer token&gt; [kafka bootstrap]</c>.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var port = int.Parse(args[1], CultureInfo.InvariantCulture);
        var business = new Uri(args[2]);
        var token = args[3];
        var kafka = args.Length > 4 ? args[4] : null;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(_ =>
        {
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = business };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return http;
        });
        builder.Services.AddSingleton(_ => new Durability(kafka is null ? null : new GroupCommitProducer(new ProducerConfig
        {
            BootstrapServers = kafka,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 1,
        }, "relay-writer")));
        await using var app = builder.Build();
        app.MapGrpcService<RelayService>();
        await app.StartAsync();
        Console.WriteLine("relay: listening");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Starts the relay as its own process (server GC, as the hub) and waits until it answers.</summary>
    public static async Task<Process> StartAsync(Uri grpcAddress, Uri business, string token, string? kafka, LookupService.LookupServiceClient client, string mst)
    {
        var arguments = new List<string> { typeof(LookupRelay).Assembly.Location, "relay", grpcAddress.Port.ToString(CultureInfo.InvariantCulture), business.ToString(), token };
        if (kafka is not null)
        {
            arguments.Add(kafka);
        }

        var info = new ProcessStartInfo("dotnet", arguments) { UseShellExecute = false, RedirectStandardOutput = true };
        info.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await client.GetEnterpriseAsync(new GetEnterpriseRequest { MaSoDoanhNghiep = mst }, deadline: DateTime.UtcNow.AddSeconds(2));
                return process;
            }
            catch (RpcException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    private sealed record Durability(GroupCommitProducer? Producer);

    private sealed class RelayService(HttpClient http, Durability durability) : LookupService.LookupServiceBase
    {
        private static readonly byte[] Record = new byte[600];

        /// <summary>One partition, as the hub's evidence chain (one ordered log).</summary>
        private static readonly TopicPartition EvidenceLog = new("relay-evidence", 0);

        public override async Task<GetEnterpriseReply> GetEnterprise(GetEnterpriseRequest request, ServerCallContext context)
        {
            using var response = await http.GetAsync(new Uri($"/api/doanhnghiep/chiTietDoanhNghiep?msdn={Uri.EscapeDataString(request.MaSoDoanhNghiep)}", UriKind.Relative), context.CancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(context.CancellationToken);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: context.CancellationToken);
            if (!response.IsSuccessStatusCode || !json.RootElement.TryGetProperty("GetEntCert", out var cert) || cert.ValueKind != JsonValueKind.Object)
            {
                throw new RpcException(new Status(StatusCode.NotFound, "not registered"));
            }

            var dn = new DoanhNghiep
            {
                MaSoDoanhNghiep = Text(cert, "MaSoDoanhNghiep"),
                SoGcndkkd = Text(cert, "SoGCNDKKD"),
                TenTiengViet = Text(cert, "TenTiengViet"),
                MaLoaiHinhDn = Text(cert, "MaLoaiHinhDN"),
                NgayDangKyLanDau = Text(cert, "NgayDangKyLanDau"),
                TinhTrangPhapLy = Text(cert, "TinhTrangPhapLy"),
            };
            foreach (var d in Items(cert, "DaiDienPhapLuat"))
            {
                dn.DaiDienPhapLuat.Add(new DaiDienPhapLuat { HoVaTen = Text(d, "HoVaTen"), ChucDanh = Text(d, "ChucDanh"), SoDinhDanh = Text(d, "SoDinhDanh") });
            }

            foreach (var a in Items(cert, "DiaChiTruSo"))
            {
                dn.DiaChiTruSo.Add(new DiaChi { MaTinhThanh = Text(a, "MaTinhThanh"), MaPhuongXa = Text(a, "MaPhuongXa"), ChiTiet = Text(a, "ChiTiet") });
            }

            foreach (var n in Items(cert, "NganhNgheKinhDoanh"))
            {
                dn.NganhNgheKinhDoanh.Add(new NganhNghe { MaNganh = Text(n, "MaNganh"), TenNganh = Text(n, "TenNganh"), LaNganhChinh = n.TryGetProperty("LaNganhChinh", out var main) && main.ValueKind == JsonValueKind.True });
            }

            if (durability.Producer is { } producer)
            {
                await producer.ProduceAsync(EvidenceLog, new Message<string, byte[]?> { Key = request.MaSoDoanhNghiep, Value = Record }, context.CancellationToken);
            }

            return new GetEnterpriseReply { DoanhNghiep = dn };
        }

        private static string Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : "" : "";

        private static IEnumerable<JsonElement> Items(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];
    }
}
