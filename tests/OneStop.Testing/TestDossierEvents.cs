using OneStop.Adapters;
using OneStop.Schemas.Canonical;

namespace OneStop.Testing;

/// <summary>Synthetic dossier events (no real person) for delivery tests; every call to <see cref="NewMaHoSo"/> gives a fresh dossier.</summary>
public static class TestDossierEvents
{
    public const string Agency = "000.00.01.H56";

    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);
    private static int _counter;

    /// <summary>A dossier code no other test in this process uses: <c>{agency}-{yyMMdd}-{NNNN}</c>.</summary>
    public static string NewMaHoSo()
    {
        var n = Interlocked.Increment(ref _counter);
        return $"{Agency}-{261120 + (n / 10_000)}-{n % 10_000:D4}";
    }

    /// <summary>
    /// A citizen's online dossier at status <paramref name="trangThaiHoSo"/>, signed in with VNeID, result to be
    /// returned by post (hinh_thuc 1) to a commune-level address, with a new event id.
    /// </summary>
    public static DossierEvent Event(string maHoSo, int trangThaiHoSo) => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        ClientEventId = "igate-" + Guid.NewGuid().ToString("N")[..12],
        Client = "demo",
        AcceptedAt = new DateTimeOffset(2026, 11, 20, 8, 30, 5, Vietnam),
        MaHoSo = maHoSo,
        MaTthc = "1.001234.000.00.00.H56",
        TenTthc = "Đăng ký khai sinh",
        MaLinhVuc = "G13-HT01",
        TenLinhVuc = "Hộ tịch",
        TrangThaiHoSo = trangThaiHoSo,
        NgayTiepNhan = new DateTimeOffset(2026, 11, 20, 8, 30, 0, Vietnam),
        NgayHenTra = new DateTimeOffset(2026, 11, 25, 17, 0, 0, Vietnam),
        DonViXuLy = Agency,
        KenhThucHien = 2,
        HinhThuc = 1,
        ChuHoSo = "Nguyễn Văn An",
        LoaiDoiTuong = 1,
        SoGiayToChuHoSo = "038085000123",
        TrichYeuHoSo = "Đăng ký khai sinh cho con",
        DinhDanhChs = [new DinhDanhChuHoSo { LoaiDinhDanh = "CCCD", SoDinhDanh = "038085000123" }],
        DiaChiNhanKetQua = new DiaChiNhanKetQua
        {
            HoTenNguoiNhan = "Nguyễn Văn An",
            DiaChi = "12 Lê Lợi, Phường Một Cửa",
            SoDienThoai = "0912345678",
            MaTinhThanh = "38",
            MaPhuongXa = "16012",
        },
        TaiKhoanXacThuc = "VNeID",
        MucDo = 4,
    };

    /// <summary><paramref name="dossierEvent"/> again, reporting a processing step at <paramref name="at"/>.</summary>
    public static DossierEvent WithStep(DossierEvent dossierEvent, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(dossierEvent);
        return dossierEvent with
        {
            BuocXuLy = new BuocXuLy
            {
                NguoiXuLy = "Trần Thị Bình",
                ChucDanh = "Chuyên viên",
                ThoiDiemXuLy = at,
                PhongBanXuLy = "Phòng Tư pháp",
                NoiDungXuLy = "Thẩm định hồ sơ",
                NgayBatDau = new DateTimeOffset(2026, 11, 20, 8, 30, 0, Vietnam),
                NgayKetThucTheoQuyDinh = new DateTimeOffset(2026, 11, 25, 17, 0, 0, Vietnam),
            },
        };
    }

    /// <summary>The same event re-published under a new event id (so a new idempotency key).</summary>
    public static DossierEvent Republished(DossierEvent dossierEvent)
    {
        ArgumentNullException.ThrowIfNull(dossierEvent);
        return dossierEvent with { EventId = Guid.NewGuid().ToString("N") };
    }

    /// <summary>The call the hub makes: idempotency key <c>{event_id}:{destination}</c>.</summary>
    public static DeliveryCall CallFor(DossierEvent dossierEvent, string destination, int attempt = 1, bool deliveredBefore = false)
    {
        ArgumentNullException.ThrowIfNull(dossierEvent);
        return new DeliveryCall($"{dossierEvent.EventId}:{destination}", attempt, deliveredBefore);
    }
}
