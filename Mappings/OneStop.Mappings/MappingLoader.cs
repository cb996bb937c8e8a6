using System.Text.Json.Nodes;
using OneStop.Mappings.Internal;

namespace OneStop.Mappings;

/// <summary>Reads mapping files (YAML), checks them and compiles them.</summary>
public static class MappingLoader
{
    /// <summary>
    /// Parses and compiles one mapping file. <paramref name="fileName"/> names the file in errors and must match
    /// the id (<c>population.reply.yaml</c> holds <c>id: population.reply</c>); it may be a path.
    /// Throws <see cref="MappingLoadException"/> listing every problem found.
    /// </summary>
    public static MappingDefinition Parse(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var errors = new List<MappingError>();
        var definition = Compile(yaml, fileName, errors);
        if (definition is null || errors.Count > 0)
        {
            throw new MappingLoadException(errors);
        }

        return definition;
    }

    /// <summary>
    /// Loads every <c>*.yaml</c> file of <paramref name="folder"/>. All or nothing: when any file is invalid,
    /// throws <see cref="MappingLoadException"/> with the errors of all files, so a bad file never replaces a good catalog.
    /// </summary>
    public static MappingCatalog LoadFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var fullFolder = Path.GetFullPath(folder);
        if (!Directory.Exists(fullFolder))
        {
            throw new DirectoryNotFoundException($"Mapping folder '{fullFolder}' does not exist");
        }

        var errors = new List<MappingError>();
        var definitions = new List<MappingDefinition>();
        var files = Directory.GetFiles(fullFolder, "*.yaml").Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal);
        foreach (var path in files)
        {
            string yaml;
            try
            {
                yaml = File.ReadAllText(path);
            }
            catch (IOException ex)
            {
                errors.Add(new MappingError(Path.GetFileName(path), "$", $"cannot be read: {ex.Message}"));
                continue;
            }

            var definition = Compile(yaml, path, errors);
            if (definition is not null)
            {
                definitions.Add(definition);
            }
        }

        if (errors.Count > 0)
        {
            throw new MappingLoadException(errors);
        }

        return new MappingCatalog(fullFolder, definitions);
    }

    private static MappingDefinition? Compile(string yaml, string fileName, List<MappingError> errors)
    {
        var file = Path.GetFileName(fileName);
        var filePath = string.IsNullOrEmpty(Path.GetDirectoryName(fileName)) ? null : Path.GetFullPath(fileName);
        var before = errors.Count;
        var document = YamlToJson.Convert(yaml, out var syntaxError);
        if (syntaxError is not null)
        {
            errors.Add(new MappingError(file, "$", syntaxError));
            return null;
        }

        if (document is not JsonObject obj)
        {
            errors.Add(new MappingError(file, "$", "a mapping file must be a YAML mapping with id, version and fields"));
            return null;
        }

        FileSchema.Validate(obj, file, errors);
        var fileErrors = new List<MappingError>();
        var definition = new DefinitionCompiler(file, fileErrors).Compile(obj, filePath);
        errors.AddRange(fileErrors);
        return errors.Count > before ? null : definition;
    }
}
