using System.Text.RegularExpressions;
using OneStop.Adapters;
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

        // The built-in lookups' upstreams are defined in the same folder, but served only by their own operations: their
        // rights, identifier checks and records must not be side-stepped through the generic lookup.
        if (BuiltInLookups.Operations.TryGetValue(upstream, out var operation))
        {
            throw HubException.Invalid("upstream", $"'{upstream}' is a built-in lookup: call {operation}");
        }

        if (catalog is null || !catalog.TryGetUpstream(upstream, out _))
        {
            var generic = catalog?.Upstreams.Where(u => !BuiltInLookups.Operations.ContainsKey(u.Id)).Select(u => u.Id).ToList() ?? [];
            var defined = generic.Count == 0 ? "none" : string.Join(", ", generic);
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
