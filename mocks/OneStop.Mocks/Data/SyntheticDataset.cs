using System.Collections.ObjectModel;
using OneStop.Mocks.Internal;

namespace OneStop.Mocks;

/// <summary>
/// Deterministic synthetic data behind the national mocks: the same seed always gives the same records.
/// Every dataset holds the <see cref="DocumentedSamples"/>. No record describes a real person.
/// </summary>
public sealed class SyntheticDataset
{
    /// <summary>The seed of <see cref="Default"/> (after Decision 468/QĐ-TTg).</summary>
    public const int DefaultSeed = 468;

    /// <summary>Generated dates (participation periods, certificates, registrations) never pass this day.</summary>
    public static readonly DateOnly GeneratedAsOf = new(2025, 12, 1);

    private static readonly Lazy<SyntheticDataset> LazyDefault = new(() => Create(DefaultSeed));

    private readonly Dictionary<string, Citizen> _citizenById;
    private readonly Dictionary<string, Citizen> _citizenByCmnd;
    private readonly Dictionary<string, Business> _businessByMst;
    private readonly Dictionary<string, InsuranceRecord> _insuranceByNumber;
    private readonly Dictionary<string, InsuranceRecord> _insuranceByCitizen;
    private readonly Dictionary<(string, int, int), LandParcel> _parcelByKey;

    internal SyntheticDataset(
        int seed,
        IList<Citizen> citizens,
        IList<Business> businesses,
        IList<InsuranceRecord> insuranceRecords,
        IList<LandParcel> landParcels)
    {
        Seed = seed;
        Citizens = new ReadOnlyCollection<Citizen>(citizens);
        Businesses = new ReadOnlyCollection<Business>(businesses);
        InsuranceRecords = new ReadOnlyCollection<InsuranceRecord>(insuranceRecords);
        LandParcels = new ReadOnlyCollection<LandParcel>(landParcels);

        _citizenById = citizens.ToDictionary(c => c.SoDinhDanh, StringComparer.Ordinal);
        _citizenByCmnd = citizens.Where(c => c.SoCMND is not null).ToDictionary(c => c.SoCMND!, StringComparer.Ordinal);
        _businessByMst = businesses.ToDictionary(b => b.MaSoDoanhNghiep, StringComparer.Ordinal);
        _insuranceByNumber = insuranceRecords.ToDictionary(r => r.MaSoBHXH, StringComparer.Ordinal);
        _insuranceByCitizen = insuranceRecords.ToDictionary(r => r.SoDinhDanh, StringComparer.Ordinal);
        _parcelByKey = landParcels.ToDictionary(p => (p.MaPhuongXa, p.SoHieuBanDo, p.SoThuTuThua));
    }

    /// <summary>The dataset of <see cref="DefaultSeed"/>, generated once per process.</summary>
    public static SyntheticDataset Default => LazyDefault.Value;

    /// <summary>Generates a dataset: at least 1,000 citizens, 200 businesses, insurance for about 60% of citizens, 400 land parcels.</summary>
    public static SyntheticDataset Create(int seed = DefaultSeed) => DatasetGenerator.Generate(seed);

    public int Seed { get; }

    public IReadOnlyList<Citizen> Citizens { get; }

    public IReadOnlyList<Business> Businesses { get; }

    public IReadOnlyList<InsuranceRecord> InsuranceRecords { get; }

    public IReadOnlyList<LandParcel> LandParcels { get; }

    public Citizen? FindCitizen(string soDinhDanh) => _citizenById.GetValueOrDefault(soDinhDanh);

    public Citizen? FindCitizenBySoCMND(string soCmnd) => _citizenByCmnd.GetValueOrDefault(soCmnd);

    public Business? FindBusiness(string maSoDoanhNghiep) => _businessByMst.GetValueOrDefault(maSoDoanhNghiep);

    public InsuranceRecord? FindInsurance(string maSoBhxh) => _insuranceByNumber.GetValueOrDefault(maSoBhxh);

    public InsuranceRecord? FindInsuranceBySoDinhDanh(string soDinhDanh) => _insuranceByCitizen.GetValueOrDefault(soDinhDanh);

    public LandParcel? FindLandParcel(string maPhuongXa, int soHieuBanDo, int soThuTuThua) =>
        _parcelByKey.GetValueOrDefault((maPhuongXa, soHieuBanDo, soThuTuThua));
}
