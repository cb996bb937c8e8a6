namespace OneStop.Hub.Evidence;

/// <summary>The head of a chain as its writer knows it: the last entry written.</summary>
public sealed record EvidenceHead(string Chain, long Seq, string Hash);

/// <summary>What a verification found.</summary>
public sealed record EvidenceVerification(int Entries, IReadOnlyList<EvidenceHead> Heads, IReadOnlyList<string> Problems)
{
    public bool Intact => Problems.Count == 0;
}

/// <summary>Verifies evidence chains and filters entries; used by the hub, the CLI and the tests alike.</summary>
public static class EvidenceChain
{
    /// <summary>
    /// Checks every chain in <paramref name="entries"/>: each entry's hash matches its content, sequence numbers
    /// run from 0 without gaps or repeats, and each entry names the previous entry's hash. When
    /// <paramref name="expectedHeads"/> are given (from a running hub), each chain must reach its head with that
    /// hash, so a cut-off tail is found too.
    /// </summary>
    public static EvidenceVerification Verify(IEnumerable<EvidenceEntry> entries, IEnumerable<EvidenceHead>? expectedHeads = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var problems = new List<string>();
        var heads = new List<EvidenceHead>();
        var count = 0;
        foreach (var chain in entries.GroupBy(e => e.Chain, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            long expectedSeq = 0;
            var prev = EvidenceEntry.Genesis;
            EvidenceEntry? last = null;
            foreach (var entry in chain.OrderBy(e => e.Seq))
            {
                count++;
                if (entry.Seq < expectedSeq)
                {
                    problems.Add($"chain {chain.Key}: entry {entry.Seq} appears more than once");
                    continue;
                }

                if (entry.Seq > expectedSeq)
                {
                    problems.Add(entry.Seq == expectedSeq + 1
                        ? $"chain {chain.Key}: entry {expectedSeq} is missing (removed?)"
                        : $"chain {chain.Key}: entries {expectedSeq}..{entry.Seq - 1} are missing (removed?)");
                }

                if (!string.Equals(entry.ComputeHash(), entry.Hash, StringComparison.Ordinal))
                {
                    problems.Add($"chain {chain.Key}: entry {entry.Seq} was altered (its hash does not match its content)");
                }
                else if (entry.Seq == expectedSeq && !string.Equals(entry.Prev, prev, StringComparison.Ordinal))
                {
                    problems.Add($"chain {chain.Key}: entry {entry.Seq} does not link to entry {entry.Seq - 1} (prev hash differs)");
                }

                expectedSeq = entry.Seq + 1;
                prev = entry.Hash;
                last = entry;
            }

            if (last is not null)
            {
                heads.Add(new EvidenceHead(chain.Key, last.Seq, last.Hash));
            }
        }

        foreach (var expected in expectedHeads ?? [])
        {
            var found = heads.FirstOrDefault(h => h.Chain == expected.Chain);
            if (found is null)
            {
                problems.Add($"chain {expected.Chain}: the hub reports head {expected.Seq} but no entry of the chain was found");
            }
            else if (found.Seq < expected.Seq)
            {
                problems.Add($"chain {expected.Chain}: entries {found.Seq + 1}..{expected.Seq} are missing (the hub's head is {expected.Seq})");
            }
        }

        foreach (var expected in expectedHeads ?? [])
        {
            // The head's own hash must be the one stored at that position.
            var atHead = entries.FirstOrDefault(e => e.Chain == expected.Chain && e.Seq == expected.Seq);
            if (atHead is not null && !string.Equals(atHead.Hash, expected.Hash, StringComparison.Ordinal))
            {
                problems.Add($"chain {expected.Chain}: entry {expected.Seq} differs from the one the hub wrote (head hash differs)");
            }
        }

        return new EvidenceVerification(count, heads, problems);
    }
}

/// <summary>Which entries an auditor asks for. Null fields match everything; times are inclusive-exclusive.</summary>
public sealed record EvidenceFilter
{
    public string? Client { get; init; }

    /// <summary>An operation name, or a service prefix ending in <c>/*</c>.</summary>
    public string? Operation { get; init; }

    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? MaHoSo { get; init; }
    public string? Outcome { get; init; }

    public bool Matches(EvidenceEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (Client is null || string.Equals(entry.Client, Client, StringComparison.Ordinal))
               && (Operation is null || (Operation.EndsWith("/*", StringComparison.Ordinal)
                   ? entry.Operation.StartsWith(Operation[..^1], StringComparison.Ordinal)
                   : string.Equals(entry.Operation, Operation, StringComparison.Ordinal)))
               && (From is null || entry.Time >= From)
               && (To is null || entry.Time < To)
               && (MaHoSo is null || string.Equals(entry.MaHoSo, MaHoSo, StringComparison.Ordinal))
               && (Outcome is null || string.Equals(entry.Outcome, Outcome, StringComparison.Ordinal));
    }
}

/// <summary>Reads evidence entries a hub has stored (the Kafka topic, or an archive), in chain order.</summary>
public interface IEvidenceStore
{
    /// <summary>Every stored entry, each chain in sequence order.</summary>
    Task<IReadOnlyList<EvidenceEntry>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>The heads of the chains this hub instance writes (what it has written, acknowledged or not).</summary>
    IReadOnlyList<EvidenceHead> Heads { get; }
}
