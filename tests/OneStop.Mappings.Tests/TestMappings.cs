using System.Text.Json.Nodes;

namespace OneStop.Mappings.Tests;

/// <summary>Builds small mappings for tests and finds the shipped mapping folder.</summary>
internal static class TestMappings
{
    /// <summary>Parses a mapping whose header (id, version) is added: <paramref name="body"/> holds root/tables/fields.</summary>
    public static MappingDefinition Map(string body, string id = "test.reply") =>
        MappingLoader.Parse($"id: {id}\nversion: 1\n{body}", $"{id}.yaml");

    public static JsonNode? Json(string json) => JsonNode.Parse(json);

    /// <summary>Runs <paramref name="m"/> over <paramref name="input"/> (JSON) and returns compact JSON, or "null".</summary>
    public static string Run(MappingDefinition m, string input) => m.Apply(JsonNode.Parse(input))?.ToJsonString(Options) ?? "null";

    public static IReadOnlyList<MappingError> LoadErrors(string yaml, string fileName = "test.reply.yaml")
    {
        try
        {
            MappingLoader.Parse(yaml, fileName);
        }
        catch (MappingLoadException ex)
        {
            return ex.Errors;
        }

        throw new InvalidOperationException("expected the mapping to be refused");
    }

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "OneStop.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds OneStop.sln");
        }
    }

    public static string ShippedFolder => Path.Combine(RepoRoot, "Mappings", "files");

    private static readonly System.Text.Json.JsonSerializerOptions Options = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
