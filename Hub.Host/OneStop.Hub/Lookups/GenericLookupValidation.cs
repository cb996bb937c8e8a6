using System.Text.RegularExpressions;
using OneStop.Mappings;
using OneStop.Schemas.Canonical;

namespace OneStop.Hub.Lookups;

/// <summary>
/// Checks a generic lookup before the request mapping sees it: the upstream must be defined, parameter names must be
/// plain names that do not hide the hub's own values, and no value may be huge. What a parameter must hold is the
/// request mapping's business (<c>required</c>, <c>type</c>, <c>date</c>): its errors come back as INVALID_ARGUMENT too.
/// </summary>
internal static partial class GenericLookupValidation
{
    private const int MaxParameters = 50;
    private const int MaxValueLength = 1000;

    public static GenericLookupQuery Validate(GenericLookupQuery q, MappingCatalog? catalog)
    {
        var upstream = q.Upstream?.Trim();
        if (string.IsNullOrEmpty(upstream))
        {
            throw HubException.Invalid("upstream", "is required: the id of an upstream defined in the mapping folder (upstreams/<id>.yaml)");
        }

        if (catalog is null || !catalog.TryGetUpstream(upstream, out _))
        {
            var defined = catalog is null || catalog.Upstreams.Count == 0 ? "none" : string.Join(", ", catalog.Upstreams.Select(u => u.Id));
            throw HubException.Invalid("upstream", $"no upstream with this id is defined (defined: {defined})");
        }

        if (q.Parameters.Count > MaxParameters)
        {
            throw HubException.Invalid("parameters", $"at most {MaxParameters} parameters");
        }

        foreach (var (name, value) in q.Parameters)
        {
            if (!Name().IsMatch(name))
            {
                throw HubException.Invalid("parameters", "a parameter name is letters, digits and underscores, starting with a letter or underscore");
            }

            if (GenericLookupQuery.ReservedNames.Contains(name))
            {
                throw HubException.Invalid("parameters", $"'{name}' is reserved (the hub puts its own values there)");
            }

            if (value is { Length: > MaxValueLength })
            {
                throw HubException.Invalid("parameters", $"'{name}' must be at most {MaxValueLength} characters");
            }
        }

        LookupValidation.ValidateContext(q.Context);
        return q with { Upstream = upstream };
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}
