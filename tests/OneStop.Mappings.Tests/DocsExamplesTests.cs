using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace OneStop.Mappings.Tests;

/// <summary>docs/mappings.md copies its examples from files the tests run; each copy must still be in its file, verbatim.</summary>
public sealed partial class DocsExamplesTests
{
    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        var matches = Example().Matches(Doc());
        for (var i = 0; i < matches.Count; i++)
        {
            data.Add(matches[i].Groups["file"].Value, i);
        }

        return data;
    }

    [Fact]
    public void The_guide_has_examples_from_mapping_files()
    {
        Example().Matches(Doc()).Count.ShouldBeGreaterThan(10);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_in_docs_mappings_md_is_a_verbatim_copy_of_its_file(string file, int index)
    {
        var example = Example().Matches(Doc())[index];
        var block = example.Groups["body"].Value.ReplaceLineEndings("\n").TrimEnd('\n');
        var source = File.ReadAllText(Path.Combine(TestMappings.RepoRoot, file)).ReplaceLineEndings("\n");

        source.ShouldContain(block, customMessage: $"docs/mappings.md example {index} is no longer in {file}");
    }

    private static string Doc() => File.ReadAllText(Path.Combine(TestMappings.RepoRoot, "docs", "mappings.md")).ReplaceLineEndings("\n");

    [GeneratedRegex(@"<!-- from (?<file>[^ ]+) -->\n```[a-z]*\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Example();
}
