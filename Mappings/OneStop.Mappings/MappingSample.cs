using System.Text.Json.Nodes;

namespace OneStop.Mappings;

/// <summary>
/// A sample shipped in a mapping file: an input and the output the mapping must produce for it
/// (<c>null</c> = "no record"), or, with <see cref="ExpectError"/>, a text the mapping's error must contain.
/// </summary>
public sealed record MappingSample(string Name, JsonNode? Input, JsonNode? Expect)
{
    /// <summary>When set, the sample expects a <see cref="MappingException"/> whose message contains this text.</summary>
    public string? ExpectError { get; init; }
}

/// <summary>The outcome of running one sample.</summary>
public sealed record SampleResult(string MappingId, string SampleName, bool Passed, string? Failure)
{
    /// <summary>Where the failure is: the first differing output field (<c>dia_chi.ma_tinh_thanh</c>), or <c>$</c>.</summary>
    public string? FieldPath { get; init; }

    /// <summary>The failure as a load error of <paramref name="file"/>: <c>file: field path: sample 'name': what differs</c>.</summary>
    public MappingError ToError(string file)
    {
        var path = FieldPath ?? "$";
        var reason = Failure ?? "failed";
        if (reason.StartsWith(path + ": ", StringComparison.Ordinal))
        {
            reason = reason[(path.Length + 2)..];
        }

        return new MappingError(file, path, $"sample '{SampleName}': {reason}");
    }
}
