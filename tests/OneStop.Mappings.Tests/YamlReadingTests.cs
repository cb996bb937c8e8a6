using System.Text.Json;
using System.Text.Json.Nodes;
using OneStop.Mappings.Internal;
using Shouldly;
using Xunit;

namespace OneStop.Mappings.Tests;

public sealed class YamlReadingTests
{
    [Fact]
    public void Plain_scalars_are_typed_like_json_and_quoted_ones_are_text()
    {
        var node = YamlToJson.Convert("""
            n: 345
            f: 152.4
            b: true
            z: null
            e:
            id: 038085000123
            code: "16012"
            single: '1'
            tagged: !!str 5
            word: NAM
            """, out var error)!.AsObject();

        error.ShouldBeNull();
        node["n"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        node["f"]!.ToJsonString().ShouldBe("152.4");
        node["b"]!.GetValueKind().ShouldBe(JsonValueKind.True);
        node["z"].ShouldBeNull();
        node["e"].ShouldBeNull();
        node["id"]!.GetValue<string>().ShouldBe("038085000123", "leading zeros keep an ID as text");
        node["code"]!.GetValue<string>().ShouldBe("16012");
        node["single"]!.GetValue<string>().ShouldBe("1");
        node["tagged"]!.GetValue<string>().ShouldBe("5");
        node["word"]!.GetValue<string>().ShouldBe("NAM");
    }

    [Fact]
    public void Json_pasted_into_yaml_reads_as_the_same_tree()
    {
        const string json = """{"a": [1, "x", {"b": null, "c": false}], "d": "Công ty"}""";

        var node = YamlToJson.Convert("v: " + json, out _)!["v"];

        JsonNode.DeepEquals(node, JsonNode.Parse(json)).ShouldBeTrue();
    }

    [Fact]
    public void Empty_file_is_an_error()
    {
        YamlToJson.Convert("", out var error).ShouldBeNull();
        error.ShouldBe("file is empty");
    }
}
