using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OneStop.Hub.Host.Internal;

/// <summary>Finds what is wrong with the configuration and says it in one line per problem, each naming its setting.</summary>
internal static partial class ConfigurationProblems
{
    public static IReadOnlyList<string> Find(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception e) when (FromException(e) is { Count: > 0 } problems)
        {
            return problems;
        }

        var found = new List<string>();
        foreach (var check in services.GetServices<IStartupCheck>())
        {
            found.AddRange(check.CheckAsync(CancellationToken.None).GetAwaiter().GetResult());
        }

        return found;
    }

    /// <summary>The lines of a configuration exception (options validation, possibly several at once); empty for any other exception.</summary>
    public static IReadOnlyList<string> FromException(Exception exception) => exception switch
    {
        OptionsValidationException e => [.. e.Failures.Select(f => Describe(e, f))],
        AggregateException e when e.InnerExceptions.All(i => i is OptionsValidationException) =>
            [.. e.InnerExceptions.SelectMany(FromException)],
        // A value the configuration binder cannot convert (a TimeSpan that is not one, a word for a number).
        InvalidOperationException e when ConversionFailure().Match(e.Message) is { Success: true } m =>
            [$"{m.Groups["path"].Value}: not a valid {FriendlyType(m.Groups["type"].Value)}"],
        AggregateException e when e.InnerExceptions.Count > 0 && e.InnerExceptions.All(i => FromException(i).Count > 0) =>
            [.. e.InnerExceptions.SelectMany(FromException)],
        Exception { InnerException: { } inner } when inner is OptionsValidationException or InvalidOperationException => FromException(inner),
        // Kestrel cannot listen where Kestrel:Endpoints:*:Url says: the message names the address.
        IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } e =>
            [$"Kestrel:Endpoints: {e.Message} (another process listens there: stop it, or set Kestrel:Endpoints:Grpc:Url / Http:Url to a free address)"],
        _ => [],
    };

    /// <summary>Options bound from a section that is not their name without <c>Options</c>.</summary>
    private static readonly Dictionary<string, string> NestedSections = new(StringComparer.Ordinal)
    {
        ["TokenOptions"] = "Security:Tokens",
        ["ClientCertificateOptions"] = "Security:ClientCertificates",
        ["ShadowOptions"] = "Mappings:Shadow",
    };

    /// <summary>
    /// A data-annotation failure names the options type and member; the setting is the section the type binds by the
    /// project's convention (<c>XxxOptions</c> from <c>Xxx</c>; named upstreams from <c>Upstreams:&lt;name&gt;</c>). Other
    /// failures already name their setting.
    /// </summary>
    private static string Describe(OptionsValidationException e, string failure)
    {
        var match = DataAnnotationFailure().Match(failure);
        if (!match.Success)
        {
            return failure;
        }

        var type = e.OptionsType.Name;
        var section = NestedSections.TryGetValue(type, out var nested) ? nested
            : type == "UpstreamOptions" ? "Upstreams" : type.EndsWith("Options", StringComparison.Ordinal) ? type[..^"Options".Length] : type;
        if (!string.IsNullOrEmpty(e.OptionsName))
        {
            section += ":" + e.OptionsName;
        }

        var members = match.Groups["members"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var setting = members.Length == 0 ? section : string.Join(", ", members.Select(m => $"{section}:{m.Replace('.', ':')}"));
        return $"{setting}: {match.Groups["error"].Value}";
    }

    private static string FriendlyType(string type) => type switch
    {
        "System.TimeSpan" => "TimeSpan (d.hh:mm:ss, e.g. 00:01:00)",
        "System.Int32" or "System.Int64" or "System.Int16" => "whole number",
        "System.Boolean" => "boolean (true or false)",
        "System.Uri" => "URL",
        _ when type.StartsWith("System.", StringComparison.Ordinal) => type["System.".Length..],
        _ => $"value of {type[(type.LastIndexOf('.') + 1)..]}",
    };

    [GeneratedRegex("^Failed to convert configuration value '.*' at '(?<path>[^']*)' to type '(?<type>[^']*)'\\.?$", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();

    [GeneratedRegex("^DataAnnotation validation failed for '[^']*' members: '(?<members>[^']*)' with the error: '(?<error>.*)'\\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();
}
