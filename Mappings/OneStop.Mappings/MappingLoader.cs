using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OneStop.Mappings.Internal;

namespace OneStop.Mappings;

/// <summary>Reads mapping files (YAML), checks them (structure, meaning, source and target schemas) and compiles them.</summary>
public static class MappingLoader
{
    /// <summary>The subfolder of a mapping folder that holds upstream definitions for the generic lookup.</summary>
    public const string UpstreamsFolder = "upstreams";

    /// <summary>
    /// Parses and compiles one mapping file. <paramref name="fileName"/> names the file in errors and must match
    /// the id (<c>population.reply.yaml</c> holds <c>id: population.reply</c>); it may be a path, and schemas the
    /// file names are found relative to it (to the current directory when it has no folder).
    /// Throws <see cref="MappingLoadException"/> listing every problem found.
    /// </summary>
    public static MappingDefinition Parse(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var errors = new List<MappingError>();
        var definition = Compile(yaml, fileName, errors, new SchemaFiles());
        if (definition is null || errors.Count > 0)
        {
            throw new MappingLoadException(errors);
        }

        return definition;
    }

    /// <summary>
    /// Loads every <c>*.yaml</c> mapping file of <paramref name="folder"/> and every upstream definition in its
    /// <c>upstreams/</c> subfolder. All or nothing: when any file is invalid, throws <see cref="MappingLoadException"/>
    /// with the errors of all files, so a bad file never replaces a good catalog. Samples are not run (see <see cref="CheckFolder"/>).
    /// </summary>
    public static MappingCatalog LoadFolder(string folder)
    {
        var errors = new List<MappingError>();
        var catalog = Load(folder, errors);
        if (catalog is null)
        {
            throw new MappingLoadException(errors);
        }

        return catalog;
    }

    /// <summary>
    /// Loads <paramref name="folder"/> as <see cref="LoadFolder"/> does and runs every sample of every mapping. Never
    /// throws for invalid files: the report lists every error (file, field path, rule), failed samples included.
    /// </summary>
    public static MappingFolderReport CheckFolder(string folder)
    {
        var errors = new List<MappingError>();
        var catalog = Load(folder, errors);
        var results = new List<SampleResult>();
        if (catalog is not null)
        {
            foreach (var mapping in catalog.All)
            {
                foreach (var result in SampleRunner.Run(mapping))
                {
                    results.Add(result);
                    if (!result.Passed)
                    {
                        errors.Add(result.ToError(mapping.FileName));
                    }
                }
            }
        }

        return new MappingFolderReport(Path.GetFullPath(folder), catalog, errors, results);
    }

    private static MappingCatalog? Load(string folder, List<MappingError> errors)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var fullFolder = Path.GetFullPath(folder);
        if (!Directory.Exists(fullFolder))
        {
            throw new DirectoryNotFoundException($"Mapping folder '{fullFolder}' does not exist");
        }

        var schemas = new SchemaFiles();
        var before = errors.Count;
        var definitions = new List<MappingDefinition>();
        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in YamlFiles(fullFolder))
        {
            if (Read(path, Path.GetFileName(path), errors) is { } yaml && Compile(yaml, path, errors, schemas) is { } definition)
            {
                definitions.Add(definition);
            }
            else
            {
                failed.Add(Path.GetFileNameWithoutExtension(path));
            }
        }

        var upstreams = new List<UpstreamDefinition>();
        var upstreamFolder = Path.Combine(fullFolder, UpstreamsFolder);
        if (Directory.Exists(upstreamFolder))
        {
            foreach (var path in YamlFiles(upstreamFolder))
            {
                var name = $"{UpstreamsFolder}/{Path.GetFileName(path)}";
                if (Read(path, name, errors) is { } yaml && CompileUpstream(yaml, name, path, errors, schemas) is { } upstream)
                {
                    upstreams.Add(upstream);
                }
            }
        }

        var ids = definitions.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var upstream in upstreams)
        {
            foreach (var (key, id) in new[] { ("request", upstream.RequestMapping), ("reply", upstream.ReplyMapping) })
            {
                // A mapping whose file is there but did not load is reported by its own errors, not again as missing.
                if (!ids.Contains(id) && !failed.Contains(id))
                {
                    errors.Add(new MappingError(upstream.FileName, key, $"no mapping '{id}' in the folder (expected file {id}.yaml)"));
                }
            }
        }

        return errors.Count > before ? null : new MappingCatalog(fullFolder, definitions, upstreams);
    }

    /// <summary>The <c>*.yaml</c> files directly in <paramref name="folder"/>, in name order.</summary>
    internal static IEnumerable<string> YamlFiles(string folder) =>
        Directory.GetFiles(folder, "*.yaml").Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal);

    private static string? Read(string path, string name, List<MappingError> errors)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            errors.Add(new MappingError(name, "$", $"cannot be read: {ex.Message}"));
            return null;
        }
    }

    /// <summary>Hex SHA-256 of a file's text.</summary>
    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static MappingDefinition? Compile(string yaml, string fileName, List<MappingError> errors, SchemaFiles schemas)
    {
        var file = Path.GetFileName(fileName);
        var filePath = string.IsNullOrEmpty(Path.GetDirectoryName(fileName)) ? null : Path.GetFullPath(fileName);
        var before = errors.Count;
        if (ReadDocument(yaml, file, errors, "a mapping file must be a YAML mapping with id, version and fields") is not { } obj)
        {
            return null;
        }

        FileSchema.Validate(obj, file, errors);
        var fileErrors = new List<MappingError>();
        var definition = new DefinitionCompiler(file, fileErrors, schemas).Compile(obj, filePath, Hash(yaml));
        errors.AddRange(fileErrors);
        return errors.Count > before ? null : definition;
    }

    private static UpstreamDefinition? CompileUpstream(string yaml, string name, string path, List<MappingError> errors, SchemaFiles schemas)
    {
        var before = errors.Count;
        if (ReadDocument(yaml, name, errors, "an upstream definition must be a YAML mapping with id, version, protocol and endpoint") is not { } obj)
        {
            return null;
        }

        FileSchema.ValidateUpstream(obj, name, errors);
        var definition = new UpstreamCompiler(name, errors, schemas).Compile(obj, Path.GetFullPath(path), Hash(yaml));
        return errors.Count > before ? null : definition;
    }

    private static JsonObject? ReadDocument(string yaml, string file, List<MappingError> errors, string shape)
    {
        var document = YamlToJson.Convert(yaml, out var syntaxError);
        if (syntaxError is not null)
        {
            errors.Add(new MappingError(file, "$", syntaxError));
            return null;
        }

        if (document is not JsonObject obj)
        {
            errors.Add(new MappingError(file, "$", shape));
            return null;
        }

        return obj;
    }
}
