using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// Hostile and malformed JSON on the JSON routes: each case is refused with 400, 413 or 415 and the hub's JSON error
/// (naming the field where there is one), while a bystander client keeps being served over JSON throughout.
/// </summary>
public sealed class HostileJsonTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    private const string Publish = "/api/v1/ho-so/su-kien";
    private const string Verify = "/api/v1/cong-dan/xac-thuc";
    private const string Generic = "/api/v1/tra-cuu/civil-status";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Case(string Name, string Path, byte[] Body, string ContentType, int Status, string? Field = null, string? Says = null, Func<Task<(int, string?, string)>>? Raw = null);

    [Fact]
    public async Task Every_hostile_json_body_is_refused_with_a_json_error_while_a_bystander_is_served()
    {
        var cases = Cases().ToList();
        cases.Count.ShouldBeGreaterThanOrEqualTo(30);

        using var done = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var bystander = Task.Run(() => Bystander(done.Token), Ct);
        var failures = new List<string>();
        using var http = fixture.Hub.CreateHttpClient();
        http.DefaultRequestHeaders.Add("x-api-key", ClientCalls.DemoKey);
        foreach (var c in cases)
        {
            try
            {
                var (status, mediaType, text) = c.Raw is { } raw ? await raw() : await Send(http, c);
                if (Judge(c, status, mediaType, text) is { } problem)
                {
                    failures.Add($"{c.Name}: {problem}: HTTP {status} {text[..Math.Min(text.Length, 300)]}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                failures.Add($"{c.Name}: the connection failed before an answer: {e.Message}");
            }
        }

        await done.CancelAsync();
        var (served, refused) = await bystander;
        failures.ShouldBeEmpty();
        refused.ShouldBe(0);
        served.ShouldBeGreaterThan(0);
    }

    private static async Task<(int, string?, string)> Send(HttpClient http, Case c)
    {
        using var content = new ByteArrayContent(c.Body);
        content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
        using var response = await http.PostAsync(c.Path, content, Ct);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>
    /// A 10 MB body over a raw connection, with a declared length or chunked, written while the answer is read: the hub
    /// answers (413) long before the body ends, and a client library would stop at the failed write instead of reading it.
    /// </summary>
    private async Task<(int, string?, string)> TenMegabytes(bool chunked)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync("127.0.0.1", fixture.Hub.HttpAddress.Port, Ct);
        var stream = socket.GetStream();
        const int Size = 10 * 1024 * 1024;
        var length = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {Size}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {Publish} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: {ClientCalls.DemoKey}\r\nContent-Type: application/json\r\n{length}\r\n\r\n"), Ct);
        var reading = Task.Run(async () =>
        {
            var answer = new MemoryStream();
            var buffer = new byte[8192];
            int n;
            while ((n = await stream.ReadAsync(buffer, Ct)) > 0)
            {
                answer.Write(buffer, 0, n);
                var text = Encoding.UTF8.GetString(answer.ToArray());
                if (text.Contains("\r\n\r\n", StringComparison.Ordinal) && text.TrimEnd().EndsWith('}'))
                {
                    break;
                }
            }

            return Encoding.UTF8.GetString(answer.ToArray());
        }, Ct);
        try
        {
            var piece = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
            for (var sent = 0; sent < Size && !reading.IsCompleted; sent += piece.Length)
            {
                if (chunked)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{piece.Length:X}\r\n"), Ct);
                }

                await stream.WriteAsync(piece, Ct);
                if (chunked)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray(), Ct);
                }
            }
        }
        catch (IOException)
        {
            // The hub closed the connection after answering: the answer is what counts.
        }

        var raw = await reading;
        var status = int.Parse(raw.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        // The JSON error, without the HTTP head or chunk framing around it.
        var body = raw.IndexOf('{', StringComparison.Ordinal) is var start and >= 0 ? raw[start..(raw.LastIndexOf('}') + 1)] : "";
        var mediaType = raw.Contains("Content-Type: application/json", StringComparison.OrdinalIgnoreCase) ? "application/json" : null;
        return (status, mediaType, body.Trim());
    }

    private static string? Judge(Case c, int status, string? mediaType, string text)
    {
        if (status != c.Status)
        {
            return $"expected HTTP {c.Status}";
        }

        if (mediaType != "application/json")
        {
            return "expected a JSON error";
        }

        var json = JsonNode.Parse(text)?.AsObject();
        if (json is null || json["code"]?.GetValue<string>() is not ("INVALID_ARGUMENT" or "RESOURCE_EXHAUSTED") || json["message"] is null)
        {
            return "expected {code, message, field, upstream}";
        }

        if (c.Field is not null && json["field"]?.GetValue<string>() != c.Field)
        {
            return $"expected field {c.Field}";
        }

        if (c.Says is not null && !json["message"]!.GetValue<string>().Contains(c.Says, StringComparison.Ordinal))
        {
            return $"expected the message to say '{c.Says}'";
        }

        return text.Contains("   at ", StringComparison.Ordinal) ? "a stack trace leaked" : null;
    }

    private IEnumerable<Case> Cases()
    {
        const string Json = "application/json";
        static byte[] U(string s) => Encoding.UTF8.GetBytes(s);
        Case Bad(string name, string body, string? field = null, string? says = null, string path = Publish) => new(name, path, U(body), Json, 400, field, says);

        // Malformed JSON
        yield return Bad("unclosed object", "{", says: "not well-formed JSON");
        yield return Bad("unclosed string", "{\"client_event_id\":\"abc", says: "not well-formed JSON");
        yield return Bad("trailing comma", "{\"client_event_id\":\"a\",}", says: "not well-formed JSON");
        yield return Bad("single quotes", "{'client_event_id':'a'}", says: "not well-formed JSON");
        yield return Bad("comment", "{/* c */\"client_event_id\":\"a\"}", says: "not well-formed JSON");
        yield return Bad("two documents", "{}{}", says: "not well-formed JSON");
        yield return Bad("bare word", "hello", says: "not well-formed JSON");
        yield return Bad("NaN literal", "{\"trang_thai_ho_so\":NaN}", says: "not well-formed JSON");
        yield return Bad("control character in a string", "{\"client_event_id\":\"a\u0001b\"}", says: "not well-formed JSON");
        yield return Bad("lone surrogate escape in a value", "{\"client_event_id\":\"\\uD800\"}");
        yield return Bad("lone surrogate escape in a key", "{\"\\uDC00\":1}", says: "not valid text");

        // Deep nesting
        yield return Bad("arrays nested 100 deep", new string('[', 100) + new string(']', 100), says: "deeper than 32");
        yield return Bad("objects nested 10,000 deep", string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000), says: "deeper than 32");
        yield return Bad("generic lookup parameters nested deep", "{\"parameters\":" + string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 41), says: "deeper than 32", path: Generic);

        // Huge numbers
        yield return Bad("int32 over its range", "{\"trang_thai_ho_so\":99999999999}", "trang_thai_ho_so");
        yield return Bad("number 1e400", "{\"trang_thai_ho_so\":1e400}", "trang_thai_ho_so");
        yield return Bad("a 5,000-digit number", "{\"trang_thai_ho_so\":" + new string('9', 5000) + "}", "trang_thai_ho_so");
        yield return Bad("int64 over its range", "{\"danh_sach_le_phi\":[{\"gia\":\"99999999999999999999\"}]}", "danh_sach_le_phi[0].gia");
        yield return Bad("fraction in an integer", "{\"kenh_thuc_hien\":1.5}", "kenh_thuc_hien");

        // Duplicate keys
        yield return Bad("duplicate top-level key", "{\"ma_ho_so\":\"a\",\"ma_ho_so\":\"b\"}", "ma_ho_so", "twice");
        yield return Bad("duplicate nested key", "{\"buoc_xu_ly\":{\"nguoi_xu_ly\":\"a\",\"nguoi_xu_ly\":\"b\"}}", "buoc_xu_ly.nguoi_xu_ly", "twice");
        yield return Bad("duplicate key in a citizen check", "{\"so_dinh_danh\":\"038085000123\",\"so_dinh_danh\":\"001099000001\"}", "so_dinh_danh", "twice", Verify);

        // Wrong types
        yield return Bad("number for a string", "{\"client_event_id\":5}", "client_event_id", "must be a string");
        yield return Bad("string for an integer", "{\"trang_thai_ho_so\":\"hai\"}", "trang_thai_ho_so");
        yield return Bad("object for a list", "{\"tai_lieu_nop\":{}}", "tai_lieu_nop", "array");
        yield return Bad("string for a bool", "{\"tu_dvcqg\":\"yes\"}", "tu_dvcqg", "true or false");
        yield return Bad("array for a message", "{\"buoc_xu_ly\":[]}", "buoc_xu_ly", "object");
        yield return Bad("null in a list", "{\"tai_lieu_nop\":[null]}", "tai_lieu_nop[0]");
        yield return Bad("array as the body", "[1,2,3]", says: "must be a JSON object");
        yield return Bad("number for a map value", "{\"parameters\":{\"so_dang_ky\":5}}", "parameters.so_dang_ky", path: Generic);
        yield return Bad("unknown enum-free field type in context", "{\"so_dinh_danh\":\"038085000123\",\"context\":\"tiep-nhan\"}", "context", path: Verify);

        // Unknown fields
        yield return Bad("unknown top-level field", "{\"client_event_id\":\"a\",\"is_admin\":true}", "is_admin", "unknown field");
        yield return Bad("camelCase name", "{\"clientEventId\":\"a\"}", "clientEventId", "unknown field");
        yield return Bad("unknown nested field", "{\"tai_lieu_nop\":[{\"ten_tep_dinh_kem\":\"a\",\"base64\":\"AAAA\"}]}", "tai_lieu_nop[0].base64", "unknown field");
        yield return Bad("__proto__ key", "{\"__proto__\":{\"a\":1}}", "__proto__", "unknown field");

        // Invalid UTF-8
        yield return new("invalid UTF-8 byte", Publish, [.. U("{\"client_event_id\":\""), 0xFF, 0xFE, .. U("\"}")], Json, 400, Says: "not valid UTF-8");
        yield return new("overlong UTF-8 encoding", Publish, [.. U("{\"client_event_id\":\""), 0xC0, 0xAF, .. U("\"}")], Json, 400, Says: "not valid UTF-8");
        yield return new("UTF-16 body", Publish, Encoding.Unicode.GetBytes("{\"client_event_id\":\"a\"}"), Json, 400);

        // Sizes and content types
        yield return new("10 MB body, declared length", Publish, [], Json, 413, Raw: () => TenMegabytes(chunked: false));
        yield return new("10 MB body, chunked", Publish, [], Json, 413, Raw: () => TenMegabytes(chunked: true));
        yield return new("1 MiB + 1 string", Publish, U("{\"client_event_id\":\"" + new string('a', 1024 * 1024) + "\"}"), Json, 413);
        yield return new("form content type", Publish, U("client_event_id=a"), "application/x-www-form-urlencoded", 415);
        yield return new("JSON in another charset", Publish, U("{}"), "application/json; charset=iso-8859-1", 415);
        yield return new("body on a route that takes none", "/api/v1/admin/parked/emc/000.00.01.H56-261127-0001/replay", U("{\"x\":1}"), Json, 400, Says: "no request body");
    }

    private async Task<(int Served, int Refused)> Bystander(CancellationToken stop)
    {
        using var http = fixture.Hub.CreateHttpClient();
        http.DefaultRequestHeaders.Add("x-api-key", ClientCalls.DemoKey);
        int served = 0, refused = 0;
        for (var i = 0; i < 5000 && !stop.IsCancellationRequested; i++)
        {
            using var response = await http.GetAsync("/api/v1/doanh-nghiep/2801234564", CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.OK && text.Contains("\"ma_so_doanh_nghiep\":\"2801234564\"", StringComparison.Ordinal))
            {
                served++;
            }
            else
            {
                refused++;
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return (served, refused);
    }
}
