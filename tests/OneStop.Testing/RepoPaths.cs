namespace OneStop.Testing;

/// <summary>Finds folders of this repository from a test's output directory.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The mapping files the hub ships with.</summary>
    public static string MappingFiles => Path.Combine(Root, "Mappings", "files");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OneStop.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"OneStop.sln not found above {AppContext.BaseDirectory}");
    }
}
