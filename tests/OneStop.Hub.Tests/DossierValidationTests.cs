using OneStop.Hub;
using OneStop.Hub.Dossiers;
using OneStop.Schemas.Canonical;
using Shouldly;

namespace OneStop.Hub.Tests;

public sealed class DossierValidationTests
{
    private static DossierEvent Valid => new()
    {
        EventId = "",
        Client = "demo",
        AcceptedAt = DateTimeOffset.UnixEpoch,
        ClientEventId = "e-1",
        MaHoSo = "000.00.01.H56-261120-0001",
        MaTthc = "1.001234.000.00.00.H56",
        TrangThaiHoSo = 2,
        DonViXuLy = "000.00.01.H56",
        KenhThucHien = 1,
        LoaiDoiTuong = 1,
    };

    private static string FieldOf(DossierEvent e) => Should.Throw<HubException>(() => DossierValidation.Validate(e)).Field!;

    [Fact]
    public void A_complete_event_is_accepted() => Should.NotThrow(() => DossierValidation.Validate(Valid));

    [Theory]
    [InlineData("H56.14-261123-0002", true)]
    [InlineData("000.00.01.H56-261120-0001", true)]
    [InlineData("000.00.01.H56-261320-0001", false)] // month 13
    [InlineData("000.00.01.H56-2611200001", false)]
    [InlineData("h56-261120-0001", false)]
    public void Ma_ho_so_is_agency_date_counter(string maHoSo, bool valid)
    {
        if (valid)
        {
            Should.NotThrow(() => DossierValidation.Validate(Valid with { MaHoSo = maHoSo }));
        }
        else
        {
            FieldOf(Valid with { MaHoSo = maHoSo }).ShouldBe("ma_ho_so");
        }
    }

    [Fact]
    public void A_fee_without_a_payment_method_is_refused_naming_the_item() =>
        FieldOf(Valid with { DanhSachLePhi = [new LePhi { TenPhiLePhi = "Lệ phí", Gia = 10000, HinhThucThu = 0 }] })
            .ShouldBe("danh_sach_le_phi[0].hinh_thuc_thu");

    [Fact]
    public void A_signed_in_owner_needs_an_id_for_emc() =>
        FieldOf(Valid with { TaiKhoanXacThuc = "VNeID" }).ShouldBe("so_giay_to_chu_ho_so");

    [Fact]
    public void A_result_by_post_needs_the_receivers_phone() =>
        FieldOf(Valid with
        {
            TrangThaiHoSo = 9, HinhThuc = 1,
            DiaChiNhanKetQua = new DiaChiNhanKetQua { HoTenNguoiNhan = "An", DiaChi = "12 Lê Lợi", MaTinhThanh = "38" },
        }).ShouldBe("dia_chi_nhan_ket_qua.so_dien_thoai");

    [Theory]
    [InlineData(0, "trang_thai_ho_so")]
    [InlineData(11, "trang_thai_ho_so")]
    public void Status_outside_the_portal_codes_is_refused(int status, string field) =>
        FieldOf(Valid with { TrangThaiHoSo = status }).ShouldBe(field);

    [Fact]
    public void Service_level_two_is_refused_because_emc_has_no_such_level() =>
        FieldOf(Valid with { MucDo = 2 }).ShouldBe("muc_do");

    [Fact]
    public void Event_ids_are_stable_for_a_client_and_its_event_id_and_differ_between_clients()
    {
        DossierIngestService.EventIdFor("demo", "e-1").ShouldBe(DossierIngestService.EventIdFor("demo", "e-1"));
        DossierIngestService.EventIdFor("demo", "e-1").ShouldNotBe(DossierIngestService.EventIdFor("tinh-b", "e-1"));
    }
}
