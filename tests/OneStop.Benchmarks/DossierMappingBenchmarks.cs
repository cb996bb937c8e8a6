using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using OneStop.Mappings;

namespace OneStop.Benchmarks;

/// <summary>
/// The mapping engine against a hand-written C# mapping of the same thing: a canonical dossier event (about 2 KB of
/// JSON) to one DongBoHoSoMC item for the national portal, by <c>Mappings/files/portal.dossier.request.yaml</c>.
/// Both start from the same parsed tree and build the same output tree (checked before the run). The
/// <c>Bytes</c> pair adds parsing the UTF-8 input and writing the UTF-8 output, as a delivery does.
/// </summary>
[MemoryDiagnoser]
public class DossierMappingBenchmarks
{
    private MappingDefinition mapping = null!;
    private JsonNode input = null!;
    private byte[] inputBytes = null!;

    /// <summary>Size of the input dossier as UTF-8 JSON.</summary>
    public static int InputSize { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        mapping = MappingLoader.LoadFolder(Repo.MappingFiles).Get("portal.dossier.request");
        input = Dossier.Input(mapping);
        inputBytes = Encoding.UTF8.GetBytes(input.ToJsonString());
        InputSize = inputBytes.Length;
        var engine = mapping.Apply(input);
        var hand = HandWrittenDossierMapping.Map(input);
        if (!JsonNode.DeepEquals(engine, hand))
        {
            throw new InvalidOperationException($"the two mappings differ:\nengine: {engine?.ToJsonString()}\nhand:   {hand.ToJsonString()}");
        }
    }

    [Benchmark(Baseline = true, Description = "hand-written C#: tree -> tree")]
    public JsonNode HandWritten() => HandWrittenDossierMapping.Map(input);

    [Benchmark(Description = "engine (YAML mapping): tree -> tree")]
    public JsonNode? Engine() => mapping.Apply(input);

    [Benchmark(Description = "hand-written C#: bytes -> bytes")]
    public byte[] HandWrittenBytes() => JsonSerializer.SerializeToUtf8Bytes(HandWrittenDossierMapping.Map(JsonNode.Parse(inputBytes)!));

    [Benchmark(Description = "engine (YAML mapping): bytes -> bytes")]
    public byte[] EngineBytes() => JsonSerializer.SerializeToUtf8Bytes(mapping.Apply(JsonNode.Parse(inputBytes)));
}

internal static class Repo
{
    public static string MappingFiles
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "OneStop.sln")))
                {
                    return Path.Combine(dir.FullName, "Mappings", "files");
                }
            }

            // BenchmarkDotNet runs a copy of the program from its artifacts folder: fall back to the working directory.
            return Path.GetFullPath(Path.Combine("Mappings", "files"));
        }
    }
}

/// <summary>The benchmark's input: the first sample of the mapping file, grown to about 2 KB with more documents.</summary>
internal static class Dossier
{
    public static JsonNode Input(MappingDefinition mapping)
    {
        var input = mapping.Samples[0].Input!.DeepClone().AsObject();
        var documents = input["tai_lieu_nop"]!.AsArray();
        var n = documents.Count;
        while (Encoding.UTF8.GetByteCount(input.ToJsonString()) < 2000)
        {
            n++;
            documents.Add(new JsonObject
            {
                ["tep_dinh_kem_id"] = $"TL-{n}",
                ["ten_tep_dinh_kem"] = $"giay-to-kem-theo-{n}.pdf",
                ["is_deleted"] = false,
                ["ma_thanh_phan_ho_so"] = $"TP{n:00}",
                ["duong_dan_tai_tep_tin"] = $"https://files.example.vn/hs/TL-{n}",
            });
        }

        return input;
    }
}
