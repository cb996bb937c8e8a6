using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneStop.Adapters;
using OneStop.Hub.Evidence;

namespace OneStop.Hub.Inbound;

/// <summary>The portal's catalogue, bound from <c>Catalogue</c>.</summary>
public sealed class CatalogueOptions
{
    /// <summary>Refuse inbound dossiers whose MaTTHC or DonViXuLy the loaded catalogue lacks (once a catalogue is loaded).</summary>
    public bool Enforce { get; set; }

    /// <summary>How old the loaded catalogue may get before the job reads it again (daily by default).</summary>
    [TimeSpanRange("00:00:01", "30.00:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the job checks whether a refresh is due (and retries one that failed, or that another instance owned).</summary>
    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>A procedure of the portal's catalogue (<c>LayDanhSachTTHC</c>).</summary>
public sealed record CatalogueProcedure(string MaTthc, string TenTthc, string? MaLinhVuc, string? TenLinhVuc);

/// <summary>An agency of the portal's catalogue (<c>LayDanhMucCoQuan</c>).</summary>
public sealed record CatalogueAgency(string MaCoQuan, string TenCoQuan);

/// <summary>When the catalogue was last loaded, and how much it held.</summary>
public sealed record CatalogueLoad(DateTimeOffset LoadedAt, int Procedures, int Agencies);

/// <summary>Whether a procedure code may be used: the catalogue the hub enforces (none when <c>Catalogue:Enforce</c> is off).</summary>
public interface IProcedureCatalogue
{
    /// <summary>False only when the catalogue is enforced, loaded, and lacks <paramref name="maTthc"/>.</summary>
    bool Allows(string maTthc);
}

/// <summary>
/// The portal's catalogue of procedures and agencies, kept in compacted state tables (<c>catalogue-procedures</c>,
/// <c>catalogue-agencies</c>, keyed by code; <c>catalogue-meta</c> holds the last load): read from the portal by a
/// scheduled job on one instance, answered from the local state store on every instance. With
/// <see cref="CatalogueOptions.Enforce"/> on, inbound dossiers whose MaTTHC or DonViXuLy it lacks are refused, and so
/// are published dossier events whose ma_tthc it lacks.
/// A listing that comes back empty is refused (the previous catalogue stays).
/// </summary>
public sealed partial class InboundCatalogue(
    IPortalInboundClient portal, IInboundState state, IOptions<CatalogueOptions> options, TimeProvider time, IEvidenceRecorder evidence,
    ILogger<InboundCatalogue> logger) : IProcedureCatalogue
{
    public const string ProcedureTable = "catalogue-procedures";
    public const string AgencyTable = "catalogue-agencies";
    public const string MetaTable = "catalogue-meta";
    public const string Operation = "Catalogue/Refresh";

    private const string LoadKey = "load";

    /// <summary>The last load, or null when no catalogue was loaded yet.</summary>
    public CatalogueLoad? LastLoad =>
        state.Get(MetaTable, LoadKey) is { } bytes ? JsonSerializer.Deserialize(bytes, CatalogueJson.Default.CatalogueLoad) : null;

    /// <summary>Whether a refresh is due: never loaded, or loaded longer ago than <see cref="CatalogueOptions.RefreshInterval"/>.</summary>
    public bool RefreshDue => LastLoad is not { } load || time.GetUtcNow() - load.LoadedAt >= options.Value.RefreshInterval;

    public CatalogueProcedure? GetProcedure(string maTthc) =>
        state.Get(ProcedureTable, maTthc) is { } bytes ? JsonSerializer.Deserialize(bytes, CatalogueJson.Default.CatalogueProcedure) : null;

    public CatalogueAgency? GetAgency(string maCoQuan) =>
        state.Get(AgencyTable, maCoQuan) is { } bytes ? JsonSerializer.Deserialize(bytes, CatalogueJson.Default.CatalogueAgency) : null;

    /// <summary>Every procedure, by code (a province's catalogue: a few thousand entries at most).</summary>
    public IReadOnlyList<CatalogueProcedure> ListProcedures() =>
        [.. state.Scan(ProcedureTable).Select(e => JsonSerializer.Deserialize(e.Value, CatalogueJson.Default.CatalogueProcedure)!).OrderBy(p => p.MaTthc, StringComparer.Ordinal)];

    public IReadOnlyList<CatalogueAgency> ListAgencies() =>
        [.. state.Scan(AgencyTable).Select(e => JsonSerializer.Deserialize(e.Value, CatalogueJson.Default.CatalogueAgency)!).OrderBy(a => a.MaCoQuan, StringComparer.Ordinal)];

    public bool Allows(string maTthc) => !options.Value.Enforce || LastLoad is null || GetProcedure(maTthc) is not null;

    /// <summary>
    /// What an inbound dossier breaks against the catalogue: nothing unless <see cref="CatalogueOptions.Enforce"/> is on
    /// and a catalogue is loaded; otherwise one entry per unknown field, naming it and the rule.
    /// </summary>
    public IReadOnlyList<string> Check(string maTthc, string donViXuLy)
    {
        if (!options.Value.Enforce || LastLoad is null)
        {
            return [];
        }

        var problems = new List<string>(2);
        if (GetProcedure(maTthc) is null)
        {
            problems.Add("MaTTHC: not in the portal's procedure catalogue (LayDanhSachTTHC)");
        }

        if (GetAgency(donViXuLy) is null)
        {
            problems.Add("DonViXuLy: not in the portal's agency catalogue (LayDanhMucCoQuan)");
        }

        return problems;
    }

    /// <summary>
    /// Reads both lists from the portal and replaces the stored catalogue with them (new and changed entries written,
    /// entries the portal no longer lists deleted). Throws <see cref="UpstreamException"/> when the portal fails or a
    /// listing is unusable; the stored catalogue then stays as it was.
    /// </summary>
    public async Task<CatalogueLoad> RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            var procedures = Read(await portal.ProceduresAsync(cancellationToken).ConfigureAwait(false), "LayDanhSachTTHC", "MaTTHC", o =>
                new CatalogueProcedure(Text(o, "MaTTHC")!, Text(o, "TenTTHC") ?? "", Text(o, "MaLinhVuc"), Text(o, "TenLinhVuc")), p => p.MaTthc);
            var agencies = Read(await portal.AgenciesAsync(cancellationToken).ConfigureAwait(false), "LayDanhMucCoQuan", "MaCoQuan", o =>
                new CatalogueAgency(Text(o, "MaCoQuan")!, Text(o, "TenCoQuan") ?? ""), a => a.MaCoQuan);

            await ReplaceAsync(ProcedureTable, procedures.ToDictionary(p => p.MaTthc, p => JsonSerializer.SerializeToUtf8Bytes(p, CatalogueJson.Default.CatalogueProcedure), StringComparer.Ordinal), cancellationToken)
                .ConfigureAwait(false);
            await ReplaceAsync(AgencyTable, agencies.ToDictionary(a => a.MaCoQuan, a => JsonSerializer.SerializeToUtf8Bytes(a, CatalogueJson.Default.CatalogueAgency), StringComparer.Ordinal), cancellationToken)
                .ConfigureAwait(false);
            var load = new CatalogueLoad(time.GetUtcNow(), procedures.Count, agencies.Count);
            await state.PutAsync(MetaTable, [new(LoadKey, JsonSerializer.SerializeToUtf8Bytes(load, CatalogueJson.Default.CatalogueLoad))], cancellationToken).ConfigureAwait(false);
            LogLoaded(procedures.Count, agencies.Count);
            await RecordAsync("ok", string.Create(CultureInfo.InvariantCulture, $"procedures={procedures.Count};agencies={agencies.Count}")).ConfigureAwait(false);
            return load;
        }
        catch (UpstreamException e)
        {
            await RecordAsync("unavailable", e.Message).ConfigureAwait(false);
            throw;
        }
    }

    private static List<T> Read<T>(IReadOnlyList<JsonObject> entries, string service, string codeField, Func<JsonObject, T> create, Func<T, string> code)
    {
        if (entries.Count == 0)
        {
            throw new UpstreamException("national-portal", UpstreamFailure.MalformedReply, $"{service}: the list is empty; the catalogue loaded before stays");
        }

        var list = new List<T>(entries.Count);
        foreach (var entry in entries)
        {
            if (Text(entry, codeField) is not { Length: > 0 })
            {
                throw new UpstreamException("national-portal", UpstreamFailure.MalformedReply, $"{service}: an entry has no {codeField}");
            }

            list.Add(create(entry));
        }

        return [.. list.DistinctBy(code, StringComparer.Ordinal)];
    }

    private async Task ReplaceAsync(string table, Dictionary<string, byte[]> entries, CancellationToken cancellationToken)
    {
        var changes = new List<KeyValuePair<string, byte[]?>>();
        foreach (var (key, value) in entries)
        {
            if (state.Get(table, key) is not { } held || !held.AsSpan().SequenceEqual(value))
            {
                changes.Add(new(key, value));
            }
        }

        changes.AddRange(state.Scan(table).Where(e => !entries.ContainsKey(e.Key)).Select(e => new KeyValuePair<string, byte[]?>(e.Key, null)).ToList());
        if (changes.Count > 0)
        {
            await state.PutAsync(table, changes, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    private ValueTask RecordAsync(string outcome, string detail) =>
        evidence.RecordAsync(new ExchangeRecord
        {
            Client = "hub",
            Operation = Operation,
            Time = time.GetUtcNow(),
            Outcome = outcome,
            Upstream = "portal",
            ResponseDigest = ExchangeRecord.Digest(detail),
        }, CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalogue loaded from the portal: {Procedures} procedures, {Agencies} agencies")]
    private partial void LogLoaded(int procedures, int agencies);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CatalogueProcedure))]
[JsonSerializable(typeof(CatalogueAgency))]
[JsonSerializable(typeof(CatalogueLoad))]
internal sealed partial class CatalogueJson : JsonSerializerContext;
