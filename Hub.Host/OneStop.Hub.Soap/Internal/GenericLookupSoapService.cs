using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStop.Schemas.Soap;
using Canonical = OneStop.Schemas.Canonical;
using Core = OneStop.Hub.Lookups;

namespace OneStop.Hub.Soap.Internal;

/// <summary>The generic lookup on SOAP: parameters as name/value pairs, the record as JSON and as a list of fields.</summary>
internal sealed class GenericLookupSoapService(Core.LookupService lookups, SoapFaults faults) : IGenericLookupSoap
{
    public Task<GenericLookupReply> GenericLookup(GenericLookupRequest request) => faults.Guard(async () =>
    {
        var r = request ?? throw HubException.Invalid("request", "the operation's request element is missing or empty");
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        // Parameters left out, empty or nil are none; a nil parameter inside the list is no parameter.
        foreach (var p in (r.Parameters ?? []).OfType<LookupParameter>())
        {
            if (string.IsNullOrEmpty(p.Name))
            {
                throw HubException.Invalid("parameters", "every parameter needs a Name");
            }

            if (!parameters.TryAdd(p.Name, p.Value ?? ""))
            {
                throw HubException.Invalid("parameters", $"'{p.Name}' is given twice");
            }
        }

        var result = await lookups.GenericLookupAsync(new Canonical.GenericLookupQuery
        {
            Upstream = r.Upstream ?? "",
            Parameters = parameters,
            Context = SoapTranslation.ToCanonical(r.Context),
        }, CancellationToken.None).ConfigureAwait(false);
        var reply = new GenericLookupReply { RecordJson = result.Record.ToJsonString(), Meta = SoapTranslation.ToSoap(result.Meta) };
        Flatten(result.Record, "", reply.Fields);
        return reply;
    });

    /// <summary><c>{"cha":{"ho_va_ten":"…"},"con":[{"ten":"…"}]}</c> → <c>cha.ho_va_ten</c>, <c>con[0].ten</c>.</summary>
    internal static void Flatten(JsonNode? node, string path, List<LookupField> fields)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    Flatten(value, path.Length == 0 ? name : $"{path}.{name}", fields);
                }

                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    Flatten(list[i], $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", fields);
                }

                break;
            case JsonValue value:
                var text = value.GetValueKind() switch
                {
                    JsonValueKind.String => value.GetValue<string>(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Null => null,
                    _ => value.ToJsonString(),
                };
                if (text is not null)
                {
                    fields.Add(new LookupField { Path = path, Value = text });
                }

                break;
            default:
                break;
        }
    }
}
