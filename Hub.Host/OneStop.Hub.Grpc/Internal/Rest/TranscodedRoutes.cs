using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace OneStop.Hub.Grpc.Internal.Rest;

/// <summary>
/// Describes every gRPC JSON transcoding route the hub serves in the OpenAPI document, read from the routes themselves
/// (their <c>google.api.http</c> rule and protobuf descriptors): a service annotated later appears without a line here.
/// Schemas use the JSON names the transcoder reads and writes, so the document and the wire cannot disagree.
/// </summary>
internal static class TranscodedRoutes
{
    public const string ErrorSchema = "onestop.v1.Error";

    /// <summary>HTTP statuses any JSON route can answer besides 200, with what they mean.</summary>
    private static readonly (string Status, string Meaning)[] Errors =
    [
        ("400", "INVALID_ARGUMENT (a field breaks its rule, malformed or hostile JSON; field names it) or FAILED_PRECONDITION (the upstream refused)"),
        ("401", "UNAUTHENTICATED: no credentials, an unknown key, or a bearer token that is expired, for another audience, unsigned or tampered (WWW-Authenticate says which)"),
        ("403", "PERMISSION_DENIED: the client lacks the right to the operation, purpose (context.muc_dich) or agency"),
        ("404", "NOT_FOUND: the national database holds no such record"),
        ("413", "RESOURCE_EXHAUSTED: the request body is over 1 MiB"),
        ("415", "INVALID_ARGUMENT: the request body is not application/json"),
        ("429", "RESOURCE_EXHAUSTED: the client is over its rate limit (Retry-After)"),
        ("500", "INTERNAL (quote the error id) or DATA_LOSS (the upstream answered in a shape the hub cannot read)"),
        ("503", "UNAVAILABLE: the upstream is down, refusing, or its circuit is open (upstream names it)"),
        ("504", "DEADLINE_EXCEEDED: the upstream did not answer in time"),
    ];

    public static void Describe(OpenApiDocument document, IServiceProvider services)
    {
        document.Info ??= new OpenApiInfo();
        document.Info.Title = "OneStop hub (LGSP) JSON API";
        document.Info.Version = "v1";
        document.Info.Description = "The hub's gRPC services as JSON over HTTP (gRPC JSON transcoding). Field names are the protos' lower snake case. "
            + "Authenticate with Authorization: Bearer <token from POST /token> (OAuth2 client credentials) or x-api-key; both carry the same rights. "
            + "Every error is {code, message, field, upstream} with the HTTP status of the gRPC code.";
        document.Paths ??= [];
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ErrorSchema] = ErrorSchemaDefinition();

        var routes = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Metadata: e.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>()))
            .Where(r => r.Metadata is not null && r.Endpoint.RoutePattern.RawText is not null)
            .OrderBy(r => r.Endpoint.RoutePattern.RawText, StringComparer.Ordinal)
            .ToList();
        document.Tags ??= new HashSet<OpenApiTag>();
        foreach (var service in routes.Select(r => r.Metadata!.MethodDescriptor.Service.Name).Distinct())
        {
            document.Tags.Add(new OpenApiTag { Name = service });
        }

        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (endpoint, metadata) in routes)
        {
            var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var descriptor = metadata!.MethodDescriptor;
            var id = $"{descriptor.Service.Name}_{descriptor.Name}";
            for (var n = 2; !operationIds.Add(id); n++)
            {
                id = $"{descriptor.Service.Name}_{descriptor.Name}_{n}";
            }

            if (!document.Paths.TryGetValue(path, out var item))
            {
                item = new OpenApiPathItem();
                document.Paths[path] = item;
            }

            ((OpenApiPathItem)item).AddOperation(HttpMethod.Parse(method), Operation(document, id, descriptor, metadata.HttpRule, endpoint));
        }
    }

    private static OpenApiOperation Operation(OpenApiDocument document, string id, MethodDescriptor method, Google.Api.HttpRule rule, RouteEndpoint endpoint)
    {
        var pathFields = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var parameters = new List<IOpenApiParameter>();
        foreach (var name in pathFields)
        {
            var field = FieldAt(method.InputType, name);
            parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Schema = field is null ? new OpenApiSchema { Type = JsonSchemaType.String } : Scalar(document, field),
            });
        }

        OpenApiRequestBody? body = null;
        if (rule.Body == "*")
        {
            body = new OpenApiRequestBody { Required = true, Content = Json(Reference(document, method.InputType)) };
        }
        else
        {
            AddQueryParameters(document, method.InputType, "", pathFields, parameters, depth: 0);
        }

        var responses = new OpenApiResponses
        {
            ["200"] = new OpenApiResponse { Description = "OK", Content = Json(Reference(document, method.OutputType)) },
        };
        foreach (var (status, meaning) in Errors)
        {
            if (status is "413" or "415" && body is null)
            {
                continue;
            }

            responses[status] = new OpenApiResponse { Description = meaning, Content = Json(new OpenApiSchemaReference(ErrorSchema, document)) };
        }

        return new OpenApiOperation
        {
            OperationId = id,
            Summary = $"{method.Service.FullName}/{method.Name}",
            Description = $"The gRPC method {method.Service.FullName}/{method.Name} as JSON: same rights (operation {method.Service.Name}/{method.Name}), validation, rate limit and evidence.",
            Tags = new HashSet<OpenApiTagReference> { new(method.Service.Name, document) },
            Parameters = parameters,
            RequestBody = body,
            Responses = responses,
        };
    }

    /// <summary>Query parameters for the request fields not bound to the path, nested ones by dotted path (<c>context.muc_dich</c>).</summary>
    private static void AddQueryParameters(OpenApiDocument document, MessageDescriptor message, string prefix, HashSet<string> bound, List<IOpenApiParameter> parameters, int depth)
    {
        foreach (var field in message.Fields.InFieldNumberOrder())
        {
            var name = prefix + field.JsonName;
            if (bound.Contains(name))
            {
                continue;
            }

            if (field.FieldType == FieldType.Message && !field.IsRepeated && !field.IsMap && depth < 3 && !IsWellKnown(field.MessageType))
            {
                AddQueryParameters(document, field.MessageType, name + ".", bound, parameters, depth + 1);
            }
            else if (field.FieldType != FieldType.Message && !field.IsMap)
            {
                parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Query, Required = false, Schema = Field(document, field) });
            }
        }
    }

    private static FieldDescriptor? FieldAt(MessageDescriptor message, string path)
    {
        FieldDescriptor? field = null;
        foreach (var part in path.Split('.'))
        {
            field = message.FindFieldByName(part);
            if (field is null)
            {
                return null;
            }

            if (field.FieldType == FieldType.Message)
            {
                message = field.MessageType;
            }
        }

        return field;
    }

    private static Dictionary<string, OpenApiMediaType> Json(IOpenApiSchema schema) => new() { ["application/json"] = new OpenApiMediaType { Schema = schema } };

    private static IOpenApiSchema Reference(OpenApiDocument document, MessageDescriptor message)
    {
        if (IsWellKnown(message))
        {
            return WellKnown(message);
        }

        var schemas = document.Components!.Schemas!;
        if (!schemas.ContainsKey(message.FullName))
        {
            var schema = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema>(), AdditionalPropertiesAllowed = false };
            schemas[message.FullName] = schema; // before the fields, so recursive messages end
            foreach (var field in message.Fields.InFieldNumberOrder())
            {
                schema.Properties[field.JsonName] = Field(document, field);
            }
        }

        return new OpenApiSchemaReference(message.FullName, document);
    }

    private static IOpenApiSchema Field(OpenApiDocument document, FieldDescriptor field)
    {
        if (field.IsMap)
        {
            var value = field.MessageType.FindFieldByNumber(2);
            return new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = Scalar(document, value) };
        }

        var single = Scalar(document, field);
        return field.IsRepeated ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = single } : single;
    }

    private static IOpenApiSchema Scalar(OpenApiDocument document, FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => new OpenApiSchema { Type = JsonSchemaType.String },
        FieldType.Bool => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        FieldType.Bytes => new OpenApiSchema { Type = JsonSchemaType.String, Format = "byte" },
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
        FieldType.UInt32 or FieldType.Fixed32 => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0" },
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.UInt64 or FieldType.Fixed64 => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
        FieldType.Double => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" },
        FieldType.Float => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "float" },
        FieldType.Enum => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [.. field.EnumType.Values.Select(v => (JsonNode)JsonValue.Create(v.Name))],
        },
        FieldType.Message => Reference(document, field.MessageType),
        _ => new OpenApiSchema(),
    };

    private static bool IsWellKnown(MessageDescriptor message) => message.File.Package == "google.protobuf";

    private static OpenApiSchema WellKnown(MessageDescriptor message) => message.FullName switch
    {
        "google.protobuf.Struct" => new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalPropertiesAllowed = true },
        "google.protobuf.Timestamp" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
        "google.protobuf.Duration" => new OpenApiSchema { Type = JsonSchemaType.String },
        "google.protobuf.StringValue" => new OpenApiSchema { Type = JsonSchemaType.String },
        _ => new OpenApiSchema(),
    };

    private static OpenApiSchema ErrorSchemaDefinition() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "Every error of every JSON route.",
        Required = new HashSet<string> { "code", "message" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "the gRPC status name, as gRPC and SOAP callers get it",
                Enum = [.. new[] { "INVALID_ARGUMENT", "FAILED_PRECONDITION", "UNAUTHENTICATED", "PERMISSION_DENIED", "NOT_FOUND", "RESOURCE_EXHAUSTED", "UNAVAILABLE", "DEADLINE_EXCEEDED", "DATA_LOSS", "INTERNAL", "UNIMPLEMENTED", "ABORTED", "UNKNOWN" }.Select(c => (JsonNode)JsonValue.Create(c))],
            },
            ["message"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "names the field and the rule, or the upstream and the reason; never a submitted value" },
            ["field"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "the request field at fault, when one is" },
            ["upstream"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "the upstream system at fault, when one is" },
        },
    };
}
