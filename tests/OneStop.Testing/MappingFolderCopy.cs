namespace OneStop.Testing;

/// <summary>
/// A copy of the shipped mapping folder and its schemas in the temp directory (<c>files/</c> beside <c>schemas/</c>,
/// as in the repository), for tests that change mappings while a hub reads them. Deleted on dispose.
/// </summary>
public sealed class MappingFolderCopy : IDisposable
{
    public MappingFolderCopy()
    {
        Root = Path.Combine(Path.GetTempPath(), "onestop-mapping-folder-" + Guid.NewGuid().ToString("N"));
        Copy(Path.Combine(RepoPaths.Root, "Mappings", "files"), Files);
        Copy(Path.Combine(RepoPaths.Root, "Mappings", "schemas"), Path.Combine(Root, "schemas"));
    }

    public string Root { get; }

    /// <summary>The mapping folder: what <c>Mappings:Path</c> points at.</summary>
    public string Files => Path.Combine(Root, "files");

    /// <summary>The integrator's examples in the repository (<c>Mappings/examples</c>), e.g. the civil-status upstream.</summary>
    public static string Examples => Path.Combine(RepoPaths.Root, "Mappings", "examples");

    /// <summary>Replaces <paramref name="from"/> with <paramref name="to"/> in <paramref name="file"/> (relative to <see cref="Files"/>).</summary>
    public void Edit(string file, string from, string to)
    {
        var path = Path.Combine(Files, file);
        var text = File.ReadAllText(path);
        if (!text.Contains(from, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{file} does not contain '{from}'");
        }

        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="file"/> (relative to <see cref="Files"/>), creating folders.</summary>
    public void Write(string file, string text)
    {
        var path = Path.Combine(Files, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a watcher may still hold the folder for a moment; the temp directory is cleaned eventually
        }
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
