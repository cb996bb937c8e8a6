using System.Text.Json.Nodes;
using OneStop.Mappings.Internal;

namespace OneStop.Mappings;

/// <summary>Runs the samples a mapping file ships with: each input through <see cref="MappingDefinition.Apply"/>, compared with its expectation.</summary>
public static class SampleRunner
{
    public static IReadOnlyList<SampleResult> Run(MappingDefinition m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var results = new List<SampleResult>(m.Samples.Count);
        foreach (var sample in m.Samples)
        {
            results.Add(RunOne(m, sample));
        }

        return results;
    }

    private static SampleResult RunOne(MappingDefinition m, MappingSample sample)
    {
        JsonNode? actual;
        try
        {
            actual = m.Apply(sample.Input);
        }
        catch (MappingException ex)
        {
            if (sample.ExpectError is not null && ex.Message.Contains(sample.ExpectError, StringComparison.Ordinal))
            {
                return new SampleResult(m.Id, sample.Name, true, null);
            }

            var wanted = sample.ExpectError is null ? string.Empty : $" (expected an error containing '{sample.ExpectError}')";
            var value = ex.OffendingValue is null ? string.Empty : $" (value: {ex.OffendingValue})";
            return new SampleResult(m.Id, sample.Name, false, $"threw: {ex.Message}{value}{wanted}");
        }

        if (sample.ExpectError is not null)
        {
            return new SampleResult(m.Id, sample.Name, false,
                $"expected an error containing '{sample.ExpectError}', got {Json.ShowJson(actual)}");
        }

        var difference = JsonDiff.First(sample.Expect, actual);
        return new SampleResult(m.Id, sample.Name, difference is null, difference);
    }
}
