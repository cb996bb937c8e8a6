using System.Text.Json.Nodes;
using NJsonSchema;

namespace OneStop.Mappings.Internal;

/// <summary>Validates a sample's input or output with NJsonSchema, ignoring fields the sample leaves out.</summary>
internal static class SampleSchema
{
    public static (string Path, string Rule)? FirstProblem(JsonSchema schema, JsonNode? value)
    {
        var json = value?.ToJsonString() ?? "null";
        foreach (var problem in FileSchema.Describe(schema.Validate(json), includeRequired: false))
        {
            return problem;
        }

        return null;
    }
}
