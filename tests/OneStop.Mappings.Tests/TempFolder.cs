namespace OneStop.Mappings.Tests;

/// <summary>A mapping folder in the temp directory: <c>files/</c> (mappings, <c>upstreams/</c>) beside <c>schemas/</c>.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "onestop-mappings-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Files);
        Directory.CreateDirectory(Schemas);
    }

    public string Root { get; }

    public string Files => Path.Combine(Root, "files");

    public string Schemas => Path.Combine(Root, "schemas");

    /// <summary>Writes <paramref name="text"/> to <paramref name="relative"/> under <see cref="Files"/>; returns the full path.</summary>
    public string WriteFile(string relative, string text)
    {
        var path = Path.Combine(Files, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void WriteSchema(string name, string json) => File.WriteAllText(Path.Combine(Schemas, name + ".schema.json"), json);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
