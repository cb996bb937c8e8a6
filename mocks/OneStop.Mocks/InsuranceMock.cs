using System.Globalization;
using System.Text.Json;
using OneStop.Mocks.Internal;
using WireMock;

namespace OneStop.Mocks;

/// <summary>
/// The social-insurance database (BHXH): <c>POST /api/bhxh/tracuu</c> with <c>{"MaSoBHXH":…}</c> and/or
/// <c>{"SoDinhDanh":…}</c>, answering <c>{"error_code":"0","message":"OK","result":[…]}</c> (empty when not found).
/// </summary>
public sealed class InsuranceMock : MockServer
{
    /// <summary><c>error_code</c> for a request without MaSoBHXH or SoDinhDanh, or not JSON.</summary>
    public const string InvalidRequestErrorCode = "1";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private InsuranceMock(SyntheticDataset data, TimeProvider? timeProvider)
        : base("insurance", data, timeProvider)
    {
    }

    /// <summary>Starts the mock on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public static async Task<InsuranceMock> StartAsync(SyntheticDataset data, int port = 0, TimeProvider? timeProvider = null)
    {
        var mock = new InsuranceMock(data, timeProvider);
        await mock.StartCoreAsync(port).ConfigureAwait(false);
        return mock;
    }

    private protected override string BusinessMethod => "POST";

    private protected override string BusinessPath => "/api/bhxh/tracuu";

    private protected override MockReply Answer(IRequestMessage request)
    {
        InsuranceRequest? query;
        try
        {
            query = JsonSerializer.Deserialize(Http.Body(request), WireJsonContext.Wire.InsuranceRequest);
        }
        catch (JsonException)
        {
            query = null;
        }

        var number = query?.MaSoBHXH?.Trim();
        var id = query?.SoDinhDanh?.Trim();
        if (string.IsNullOrEmpty(number) && string.IsNullOrEmpty(id))
        {
            return MockReply.Of(200, new InsuranceReply(InvalidRequestErrorCode, "Thiếu MaSoBHXH hoặc SoDinhDanh.", []), WireJsonContext.Wire.InsuranceReply);
        }

        var record = !string.IsNullOrEmpty(number) ? Data.FindInsurance(number) : Data.FindInsuranceBySoDinhDanh(id!);
        if (record is not null && !string.IsNullOrEmpty(id) && !string.Equals(record.SoDinhDanh, id, StringComparison.Ordinal))
        {
            record = null;
        }

        InsuranceItem[] result = record is null ? [] : [ToWire(record, TodayInVietnam())];
        return MockReply.Of(200, new InsuranceReply("0", "OK", result), WireJsonContext.Wire.InsuranceReply);
    }

    /// <summary>Renders a record as of <paramref name="today"/>: open periods end this month, card validity follows the year.</summary>
    internal static InsuranceItem ToWire(InsuranceRecord r, DateOnly today)
    {
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var cardYear = today.Year + r.TheBHYT.ValidityYearOffset;
        return new InsuranceItem(
            r.MaSoBHXH,
            r.SoDinhDanh,
            r.HoTen,
            r.NgaySinh.ToString("dd/MM/yyyy", Inv),
            ((int)r.GioiTinh).ToString(Inv),
            r.QuaTrinhThamGia.Select(p => new InsurancePeriod(
                Month(p.TuThang),
                Month(p.DenThang ?? (thisMonth > p.TuThang ? thisMonth : p.TuThang)),
                p.MaSoThue,
                p.TenDonVi,
                p.LoaiHinh)).ToArray(),
            new InsuranceCard(
                r.TheBHYT.MaThe,
                new DateOnly(cardYear, 1, 1).ToString("dd/MM/yyyy", Inv),
                new DateOnly(cardYear, 12, 31).ToString("dd/MM/yyyy", Inv),
                r.TheBHYT.NoiDangKyKCB));
    }

    private static string Month(DateOnly d) => d.ToString("MM/yyyy", Inv);
}
