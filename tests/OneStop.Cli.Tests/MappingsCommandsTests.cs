using OneStop.Mappings;
using Shouldly;

namespace OneStop.Cli.Tests;

/// <summary><c>onestop mappings …</c> run in process, exactly as <c>dotnet run --project Hub.Host/OneStop.Cli -- mappings …</c> runs it.</summary>
public sealed class MappingsCommandsTests : IDisposable
{
    private readonly string temp = Path.Combine(Path.GetTempPath(), "onestop-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static string Root
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

            throw new DirectoryNotFoundException("OneStop.sln not found");
        }
    }

    private static string Shipped => Path.Combine(Root, "Mappings", "files");

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = Program.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>A copy of the shipped folder and its schemas, to break on purpose.</summary>
    private string CopyOfShipped()
    {
        foreach (var (from, to) in new[] { ("files", "files"), ("schemas", "schemas") })
        {
            var source = Path.Combine(Root, "Mappings", from);
            foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(temp, to, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        return Path.Combine(temp, "files");
    }

    [Fact]
    public void Test_runs_every_sample_of_the_shipped_mappings_and_prints_the_count()
    {
        var expected = MappingLoader.LoadFolder(Shipped).All.Sum(m => m.Samples.Count);

        var (exit, output, error) = Run("mappings", "test", Shipped);

        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        output.ShouldContain("ok    population.reply@1");
        output.TrimEnd().ShouldEndWith($"{expected} samples passed");
    }

    [Fact]
    public void Test_of_a_folder_with_an_invalid_file_exits_1_naming_file_field_and_rule()
    {
        var folder = CopyOfShipped();
        var file = Path.Combine(folder, "insurance.reply.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("loai-hinh: { BB: BAT_BUOC, TN: TU_NGUYEN }", "loai-hinh: { BB: BAT_BUOC }", StringComparison.Ordinal));

        var (exit, output, error) = Run("mappings", "test", folder);

        exit.ShouldBe(1);
        error.ShouldContain("error: insurance.reply.yaml: qua_trinh_tham_gia.loai_hinh: code TN has no entry in table loai-hinh");
        output.ShouldContain("0 samples passed");
    }

    [Fact]
    public void Test_with_a_failing_sample_exits_1_and_counts_it()
    {
        var folder = CopyOfShipped();
        var file = Path.Combine(folder, "land.reply.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"so_thu_tu_thua\": 346", "\"so_thu_tu_thua\": 347", StringComparison.Ordinal));

        var (exit, output, error) = Run("mappings", "test", folder);

        exit.ShouldBe(1);
        error.ShouldContain("error: land.reply.yaml: so_thu_tu_thua: sample 'parcel without a certificate, numbers sent as text': expected 347, got 346");
        output.ShouldContain("FAIL  land.reply@1");
        output.ShouldContain("1 samples failed");
    }

    [Fact]
    public void Test_of_a_missing_folder_says_so()
    {
        var (exit, _, error) = Run("mappings", "test", Path.Combine(temp, "nope"));

        exit.ShouldBe(2);
        error.ShouldContain("does not exist");
    }

    [Fact]
    public void Test_of_a_folder_without_mapping_files_exits_1_and_says_nothing_was_checked()
    {
        Directory.CreateDirectory(temp);
        File.WriteAllText(Path.Combine(temp, "README.txt"), "not a mapping");

        var (exit, output, error) = Run("mappings", "test", temp);

        exit.ShouldBe(1);
        error.ShouldContain("no mapping files (*.yaml)");
        output.ShouldNotContain("samples passed");
    }

    [Fact]
    public void List_shows_id_version_and_schemas()
    {
        var (exit, output, _) = Run("mappings", "list", Shipped);

        exit.ShouldBe(0);
        output.ShouldContain("population.request");
        output.ShouldContain("canonical.citizen-query");
    }

    [Fact]
    public void Canonical_schemas_in_the_repository_match_the_canonical_records()
    {
        var (exit, output, error) = Run("mappings", "schemas", "--check", "--out", Path.Combine(Root, "Mappings", "schemas"));

        error.ShouldBeEmpty("run `dotnet run --project Hub.Host/OneStop.Cli -- mappings schemas` to regenerate them");
        exit.ShouldBe(0);
        output.ShouldContain("up to date  canonical.dossier-event.schema.json");
    }

    [Fact]
    public void Schemas_writes_every_canonical_schema()
    {
        var (exit, output, _) = Run("mappings", "schemas", "--out", temp);

        exit.ShouldBe(0);
        output.ShouldContain("written     canonical.cong-dan.schema.json");
        File.Exists(Path.Combine(temp, "canonical.thua-dat.schema.json")).ShouldBeTrue();
    }
}
