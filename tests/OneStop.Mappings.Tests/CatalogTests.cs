using Shouldly;
using Xunit;

namespace OneStop.Mappings.Tests;

public sealed class CatalogTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "onestop-mappings-" + Guid.NewGuid().ToString("N"));

    public CatalogTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Folder_loads_every_yaml_file_by_id()
    {
        Write("land.request.yaml", "id: land.request\nversion: 2\nfields:\n  maPhuongXa: ma_phuong_xa\n");
        Write("land.reply.yaml", "id: land.reply\nversion: 1\nroot: { path: data }\nfields:\n  ma_phuong_xa: MaPhuongXa\n");
        Write("notes.txt", "not a mapping");

        var catalog = MappingLoader.LoadFolder(folder);

        catalog.All.Select(m => m.VersionTag).ShouldBe(["land.reply@1", "land.request@2"]);
        catalog.Get("land.request").FilePath.ShouldBe(Path.Combine(folder, "land.request.yaml"));
    }

    [Fact]
    public void Errors_of_all_files_are_reported_together()
    {
        Write("a.reply.yaml", "id: a.reply\nversion: 1\nfields:\n  x: { path: X, type: integer }\n");
        Write("b.reply.yaml", "id: b.reply\nfields:\n  x: X\n");
        Write("c.reply.yaml", "id: c.reply\nversion: 1\nfields:\n  x: X\n");

        var ex = Should.Throw<MappingLoadException>(() => MappingLoader.LoadFolder(folder));

        ex.Errors.Select(e => e.ToString()).ShouldBe(
        [
            "a.reply.yaml: x: type 'integer' is not known (string, int, number, bool)",
            "b.reply.yaml: version: required key is missing",
        ]);
    }

    [Fact]
    public void Get_of_an_unknown_id_names_the_id_and_the_folder()
    {
        Write("land.reply.yaml", "id: land.reply\nversion: 1\nfields:\n  a: A\n");
        var catalog = MappingLoader.LoadFolder(folder);

        var ex = Should.Throw<KeyNotFoundException>(() => catalog.Get("population.reply"));

        ex.Message.ShouldContain("'population.reply'");
        ex.Message.ShouldContain(folder);
    }

    [Fact]
    public void Missing_folder_is_reported_by_path()
    {
        var missing = Path.Combine(folder, "nope");

        Should.Throw<DirectoryNotFoundException>(() => MappingLoader.LoadFolder(missing)).Message.ShouldContain(missing);
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(folder, name), text);
}
