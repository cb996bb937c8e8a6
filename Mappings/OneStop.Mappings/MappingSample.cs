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
public sealed record SampleResult(string MappingId, string SampleName, bool Passed, string? Failure);
