using System.Text.Json.Nodes;

namespace OneStop.Adapters;

/// <summary>The national portal's pull and catalogue services, with the same session login as delivery.</summary>
public interface IPortalInboundClient
{
    /// <summary><c>DanhSachHoSo {donViXuLy, ngayNhan1, ngayNhan2}</c>: codes of dossiers received in the window (inclusive days).</summary>
    Task<IReadOnlyList<string>> ListAsync(string agency, DateOnly from, DateOnly to, CancellationToken cancellationToken);

    /// <summary><c>TraCuuHoSo {mahoso}</c>: the dossier's detail (DongBoHoSoMC item shape), or null when the portal has none.</summary>
    Task<JsonObject?> DetailAsync(string agency, string maHoSo, CancellationToken cancellationToken);

    /// <summary><c>LayTaiLieuHoSo {duongdanteptin}</c>: the file's bytes.</summary>
    Task<byte[]> FileAsync(string agency, string path, CancellationToken cancellationToken);

    /// <summary><c>LayDanhSachTTHC</c>: the procedure catalogue, entries as the portal lists them (<c>MaTTHC</c>, <c>TenTTHC</c>, …).</summary>
    Task<IReadOnlyList<JsonObject>> ProceduresAsync(CancellationToken cancellationToken);

    /// <summary><c>LayDanhMucCoQuan</c>: the agency catalogue, entries as the portal lists them (<c>MaCoQuan</c>, <c>TenCoQuan</c>).</summary>
    Task<IReadOnlyList<JsonObject>> AgenciesAsync(CancellationToken cancellationToken);
}
