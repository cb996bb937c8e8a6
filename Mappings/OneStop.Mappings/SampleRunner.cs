using System.Text.Json.Nodes;
using OneStop.Mappings.Internal;

namespace OneStop.Mappings;

/// <summary>
/// Runs the samples a mapping file ships with: each input through <see cref="MappingDefinition.Apply"/>, compared with
/// its expectation. When the file names schemas, a sample's input must also fit the source schema and its expected
/// output the target schema (for the fields they hold: a sample may leave fields out).
/// </summary>
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
            return new SampleResult(m.Id, sample.Name, false, $"threw: {ex.Message}{value}{wanted}") { FieldPath = ex.FieldPath };
        }

        if (sample.ExpectError is not null)
        {
            return new SampleResult(m.Id, sample.Name, false,
                $"expected an error containing '{sample.ExpectError}', got {Json.ShowJson(actual)}");
        }

        if (JsonDiff.FirstAt(sample.Expect, actual) is { } difference)
        {
            return new SampleResult(m.Id, sample.Name, false, $"{difference.Path}: {difference.Problem}") { FieldPath = difference.Path };
        }

        // Samples are checked against the schemas too: an input the source never sends, or an expectation the
        // target would refuse, is a wrong sample even when the mapping reproduces it.
        if (m.Source is { } source && SampleSchema.FirstProblem(source.Schema, sample.Input) is { } badInput)
        {
            var path = badInput.Path == "$" ? "input" : $"input.{badInput.Path}";
            return new SampleResult(m.Id, sample.Name, false, $"{path}: does not fit the source schema {source.Name}: {badInput.Rule}") { FieldPath = path };
        }

        if (m.Target is { } target && actual is not null && SampleSchema.FirstProblem(target.Schema, actual) is { } badOutput)
        {
            return new SampleResult(m.Id, sample.Name, false, $"{badOutput.Path}: does not fit the target schema {target.Name}: {badOutput.Rule}")
            {
                FieldPath = badOutput.Path,
            };
        }

        return new SampleResult(m.Id, sample.Name, true, null);
    }
}
