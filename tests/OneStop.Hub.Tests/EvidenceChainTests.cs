using System.Text;
using OneStop.Hub.Evidence;
using Shouldly;

namespace OneStop.Hub.Tests;

public sealed class EvidenceChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(7));

    private static List<EvidenceEntry> Chain(string id, int count)
    {
        var entries = new List<EvidenceEntry>();
        var prev = EvidenceEntry.Genesis;
        for (var i = 0; i < count; i++)
        {
            var entry = EvidenceEntry.Link(id, i, prev, new ExchangeRecord
            {
                Client = i % 2 == 0 ? "demo" : "demo-limited",
                Operation = "LookupService/VerifyCitizen",
                Time = T0.AddSeconds(i),
                Outcome = i % 3 == 0 ? "ok" : "not_found",
                RequestDigest = ExchangeRecord.Digest($"request {i}"),
                Purpose = "tiep-nhan-ho-so",
                MaHoSo = i == 2 ? "000.00.01.H56-260101-0001" : null,
            });
            entries.Add(entry);
            prev = entry.Hash;
        }

        return entries;
    }

    [Fact]
    public void Intact_chains_verify_and_report_their_heads()
    {
        var entries = Chain("hub-1", 5).Concat(Chain("hub-2", 3)).ToList();
        var report = EvidenceChain.Verify(entries);
        report.Intact.ShouldBeTrue();
        report.Entries.ShouldBe(8);
        report.Heads.Select(h => (h.Chain, h.Seq)).ShouldBe([("hub-1", 4L), ("hub-2", 2L)]);
    }

    [Fact]
    public void Stored_line_reads_back_to_the_same_entry_and_hash()
    {
        var entry = Chain("hub-1", 3)[2];
        var line = entry.CanonicalBytes();
        var back = EvidenceEntry.Parse(line);
        back.ShouldBe(entry);
        back.ComputeHash().ShouldBe(entry.Hash);
        Encoding.UTF8.GetString(line).ShouldEndWith($"\"hash\":\"{entry.Hash}\"}}");
    }

    [Fact]
    public void Removed_entry_is_found()
    {
        var entries = Chain("hub-1", 5);
        entries.RemoveAt(2);
        EvidenceChain.Verify(entries).Problems.ShouldBe(["chain hub-1: entry 2 is missing (removed?)"]);
    }

    [Fact]
    public void Altered_entry_is_found_and_so_is_one_rehashed_after_altering()
    {
        var entries = Chain("hub-1", 5);
        entries[1] = entries[1] with { Client = "someone-else" };
        EvidenceChain.Verify(entries).Problems.ShouldBe(["chain hub-1: entry 1 was altered (its hash does not match its content)"]);

        entries = Chain("hub-1", 5);
        var forged = entries[1] with { Outcome = "ok" };
        entries[1] = forged with { Hash = forged.ComputeHash() };
        EvidenceChain.Verify(entries).Problems.ShouldBe(["chain hub-1: entry 2 does not link to entry 1 (prev hash differs)"]);
    }

    [Fact]
    public void Cut_off_tail_is_found_against_the_head_the_hub_reports()
    {
        var entries = Chain("hub-1", 5);
        var head = new EvidenceHead("hub-1", 4, entries[4].Hash);
        EvidenceChain.Verify(entries.Take(3), [head]).Problems.ShouldBe(["chain hub-1: entries 3..4 are missing (the hub's head is 4)"]);
        EvidenceChain.Verify(entries, [head]).Intact.ShouldBeTrue();
    }

    [Fact]
    public void Filter_selects_by_client_operation_time_and_dossier()
    {
        var entries = Chain("hub-1", 6);
        entries.Where(new EvidenceFilter { Client = "demo" }.Matches).Count().ShouldBe(3);
        entries.Where(new EvidenceFilter { Operation = "LookupService/*" }.Matches).Count().ShouldBe(6);
        entries.Where(new EvidenceFilter { Operation = "AdminService/*" }.Matches).ShouldBeEmpty();
        entries.Where(new EvidenceFilter { From = T0.AddSeconds(2), To = T0.AddSeconds(4) }.Matches).Select(e => e.Seq).ShouldBe([2L, 3L]);
        entries.Where(new EvidenceFilter { MaHoSo = "000.00.01.H56-260101-0001" }.Matches).Single().Seq.ShouldBe(2);
    }

    [Fact]
    public void The_stored_line_made_in_one_pass_is_the_canonical_form_with_its_hash_and_reads_back()
    {
        var record = new ExchangeRecord
        {
            Client = "demo", Operation = "LookupService/VerifyCitizen", Time = T0, Outcome = "ok", Purpose = "tiep-nhan \"ho so\" + ký",
            RequestDigest = ExchangeRecord.Digest("request"), MaHoSo = "000.00.01.H56-260101-0001",
        };
        foreach (var proof in new string?[] { null, """{"type":"checkpoint","statement":"e30="}""" })
        {
            var (entry, line) = EvidenceEntry.Link("hub-1", 7, EvidenceEntry.Genesis, record, proof);
            line.ShouldBe(entry.CanonicalBytes());
            entry.Hash.ShouldBe(entry.ComputeHash());
            EvidenceEntry.Parse(line).ShouldBe(entry);
        }

        // Entries without a proof keep the form (and so the hashes) they had before proofs existed.
        Encoding.UTF8.GetString(EvidenceEntry.Link("hub-1", 0, EvidenceEntry.Genesis, record).CanonicalBytes()).ShouldNotContain("proof");
    }
}
