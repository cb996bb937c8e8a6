using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using OneStop.Testing;
using Shouldly;

namespace OneStop.IntegrationTests;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>: a valid OpenAPI 3 document (read back and validated by OpenAPI.NET),
/// listing every JSON route the hub serves with its schemas and errors, and every route it lists answers as described.
/// </summary>
public sealed partial class OpenApiTests(RestFixture fixture) : IClassFixture<RestFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Values from the synthetic data for every path parameter a route has.</summary>
    private static readonly Dictionary<string, string> PathValues = new()
    {
        ["so_dinh_danh"] = "038085000123",
        ["ma_so_doanh_nghiep"] = "2801234564",
        ["ma_so_bhxh"] = "3820000123",
        ["ma_phuong_xa"] = "16012",
        ["so_hieu_ban_do"] = "12",
        ["so_thu_tu_thua"] = "345",
        ["ma_ho_so"] = "000.00.01.H56-261127-0042",
        ["destination"] = "emc",
        ["upstream"] = "civil-status",
        ["ma_tthc"] = "1.001234.000.00.00.H56",
    };

    [Fact]
    public async Task Document_is_valid_openapi_3_with_both_security_schemes()
    {
        var (document, diagnostic) = await ReadAsync();
        diagnostic.Errors.ShouldBeEmpty(string.Join("; ", diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        diagnostic.SpecificationVersion.ShouldBe(OpenApiSpecVersion.OpenApi3_0);
        var errors = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        errors.ShouldBeEmpty(string.Join("; ", errors.Select(e => $"{e.Pointer}: {e.Message}")));

        var oauth = document.Components!.SecuritySchemes!["oauth2"];
        oauth.Type.ShouldBe(SecuritySchemeType.OAuth2);
        oauth.Flows!.ClientCredentials!.TokenUrl!.ToString().ShouldBe("/token");
        document.Components.SecuritySchemes["apiKey"].Name.ShouldBe("x-api-key");
        document.Security!.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Document_lists_every_json_route_with_snake_case_schemas_and_the_error_shape()
    {
        var (document, _) = await ReadAsync();
        var served = fixture.Hub.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null)
            .Select(e => $"{e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods[0]} /{e.RoutePattern.RawText!.TrimStart('/')}")
            .Order().ToList();
        var listed = document.Paths.SelectMany(p => p.Value.Operations!.Keys.Select(m => $"{m.Method} {p.Key}")).Where(r => r.Contains(" /api/", StringComparison.Ordinal)).Order().ToList();
        listed.ShouldBe(served);
        listed.ShouldContain("GET /api/v1/cong-dan/{so_dinh_danh}");
        listed.ShouldContain("GET /api/v1/doanh-nghiep/{ma_so_doanh_nghiep}");
        listed.ShouldContain("POST /api/v1/ho-so/su-kien");
        document.Paths.ShouldContainKey("/token");

        foreach (var (name, schema) in document.Components!.Schemas!)
        {
            (schema.Properties?.Keys ?? []).ShouldAllBe(k => SnakeCase().IsMatch(k), name);
        }

        var error = document.Components.Schemas["onestop.v1.Error"];
        error.Properties!.Keys.Order().ShouldBe(["code", "field", "message", "upstream"]);
        foreach (var (path, item) in document.Paths.Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var (method, operation) in item.Operations!)
            {
                operation.Responses!.Keys.ShouldContain("200");
                foreach (var status in new[] { "400", "401", "403", "429", "500", "503" })
                {
                    var response = operation.Responses[status];
                    ((OpenApiSchemaReference)response.Content!["application/json"].Schema!).Reference.Id.ShouldBe("onestop.v1.Error", $"{method} {path} {status}");
                }
            }
        }
    }

    [Fact]
    public async Task Every_listed_route_answers_with_a_response_it_documents()
    {
        var (document, _) = await ReadAsync();
        using var http = fixture.WithBearer(await fixture.TokenAsync());
        var answers = new List<string>();
        // The publish first, so that the dossier the admin routes read exists.
        var operations = document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value)))
            .OrderBy(o => o.Path == "/api/v1/ho-so/su-kien" ? 0 : 1).ToList();
        foreach (var (path, method, operation) in operations)
        {
            using var request = new HttpRequestMessage(method, Fill(path)) { Content = Body(path, operation) };
            if (path == "/token")
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo:onestop-demo-secret")));
            }

            using var response = await http.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var route = $"{method.Method} {path}";
            operation.Responses!.Keys.ShouldContain(status, $"{route} answered {status}: {text}");
            var documented = operation.Responses[status].Content!["application/json"].Schema!;
            Conforms(JsonNode.Parse(text), documented, route).ShouldBeNull($"{route} {status}: {text}");
            answers.Add($"{route} {status}");
        }

        // The lookups, the publish, the admin reads, the inbound fetch and ack, and the token answer with their records, not only with errors.
        foreach (var ok in new[]
        {
            "GET /api/v1/cong-dan/{so_dinh_danh} 200", "POST /api/v1/cong-dan/xac-thuc 200", "GET /api/v1/doanh-nghiep/{ma_so_doanh_nghiep} 200",
            "GET /api/v1/bao-hiem-xa-hoi/{ma_so_bhxh} 200", "GET /api/v1/cong-dan/{so_dinh_danh}/bao-hiem-xa-hoi 200",
            "GET /api/v1/thua-dat/{ma_phuong_xa}/{so_hieu_ban_do}/{so_thu_tu_thua} 200", "POST /api/v1/ho-so/su-kien 200",
            "GET /api/v1/admin/parked 200", "GET /api/v1/admin/ho-so/{ma_ho_so}/trail 200", "POST /token 200",
            "POST /api/v1/ho-so-den/fetch 200", "POST /api/v1/ho-so-den/ack 200",
        })
        {
            answers.ShouldContain(ok);
        }
    }

    private async Task<(OpenApiDocument Document, OpenApiDiagnostic Diagnostic)> ReadAsync()
    {
        using var http = fixture.Hub.CreateHttpClient();
        var text = await http.GetStringAsync("/openapi/v1.json", Ct);
        var result = OpenApiDocument.Parse(text, "json", new OpenApiReaderSettings());
        result.Document.ShouldNotBeNull(string.Join("; ", result.Diagnostic?.Errors.Select(e => e.Message) ?? []));
        return (result.Document!, result.Diagnostic!);
    }

    private static string Fill(string path) =>
        PathParameter().Replace(path, m => Uri.EscapeDataString(PathValues.TryGetValue(m.Groups[1].Value, out var v) ? v : throw new InvalidOperationException($"no sample for {m.Value} in {path}")));

    private static HttpContent? Body(string path, OpenApiOperation operation)
    {
        if (operation.RequestBody is null)
        {
            return null;
        }

        if (path == "/token")
        {
            return new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" });
        }

        var json = path switch
        {
            "/api/v1/ho-so/su-kien" => $$"""{"client_event_id":"openapi-1","ma_ho_so":"{{PathValues["ma_ho_so"]}}","ma_tthc":"1.001234.000.00.00.H56","trang_thai_ho_so":2,"ngay_tiep_nhan":"2026-11-27T08:30:00+07:00","don_vi_xu_ly":"{{TestDossierEvents.Agency}}","kenh_thuc_hien":1,"chu_ho_so":"Nguyễn Văn An","loai_doi_tuong":1}""",
            "/api/v1/cong-dan/xac-thuc" => """{"so_dinh_danh":"038085000123","ho_va_ten":"Nguyễn Văn An"}""",
            "/api/v1/ho-so-den/fetch" => $$"""{"agencies":["{{TestDossierEvents.Agency}}"],"max_messages":10}""",
            // A delivery id far past anything on the inbound topic: acknowledged, and no real message is hidden by it.
            "/api/v1/ho-so-den/ack" => $$"""{"delivery_ids":["{{TestDossierEvents.Agency}}/0/900000000"]}""",
            _ => "{}",
        };
        return new StringContent(json, Encoding.UTF8, "application/json");
    }

    /// <summary>Null when <paramref name="value"/> has only the properties, and the JSON types, the schema declares.</summary>
    private static string? Conforms(JsonNode? value, IOpenApiSchema schema, string at)
    {
        var type = schema.Type ?? 0;
        switch (value)
        {
            case null:
                return type == 0 || type.HasFlag(JsonSchemaType.Null) || schema.Properties is not null ? null : $"{at}: null where {type} is declared";
            case JsonObject o when type.HasFlag(JsonSchemaType.Object):
                foreach (var (key, child) in o)
                {
                    if (schema.Properties?.TryGetValue(key, out var property) == true)
                    {
                        if (Conforms(child, property, $"{at}.{key}") is { } problem)
                        {
                            return problem;
                        }
                    }
                    else if (schema.AdditionalProperties is { } additional)
                    {
                        if (Conforms(child, additional, $"{at}.{key}") is { } problem)
                        {
                            return problem;
                        }
                    }
                    else if (!schema.AdditionalPropertiesAllowed || schema.Properties is { Count: > 0 })
                    {
                        return $"{at}.{key}: not in the schema";
                    }
                }

                return null;
            case JsonArray a when type.HasFlag(JsonSchemaType.Array):
                return a.Select((e, i) => Conforms(e, schema.Items!, $"{at}[{i}]")).FirstOrDefault(p => p is not null);
            case JsonValue v:
                var kind = v.GetValueKind();
                var fits = kind switch
                {
                    System.Text.Json.JsonValueKind.String => type.HasFlag(JsonSchemaType.String),
                    System.Text.Json.JsonValueKind.Number => type.HasFlag(JsonSchemaType.Number) || type.HasFlag(JsonSchemaType.Integer),
                    System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => type.HasFlag(JsonSchemaType.Boolean),
                    _ => false,
                };
                return fits || type == 0 ? null : $"{at}: a {kind} where {type} is declared";
            default:
                return type == 0 ? null : $"{at}: a {value.GetValueKind()} where {type} is declared";
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex(@"\{([a-z_.]+)\}")]
    private static partial Regex PathParameter();
}
