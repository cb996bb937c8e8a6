using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneStop.Hub.Dossiers;
using OneStop.Hub.Security;

namespace OneStop.Hub.Host.Pages.Console;

/// <summary>
/// Parked dossiers, and a replay after a confirmation (a GET shows the question, only the POST acts). The replay
/// goes through the same admin path as the gRPC call, so it is recorded as evidence under the signed-in client.
/// </summary>
public sealed class ParkedModel(IDossierAdmin admin) : PageModel
{
    public IReadOnlyList<ParkedDossier> Parked { get; private set; } = [];

    public ParkedDossier? Confirm { get; private set; }

    public string? Message { get; private set; }

    public void OnGet(string? destination, string? confirm)
    {
        Parked = admin.ListParked(null);
        if (confirm is not null)
        {
            Confirm = Parked.FirstOrDefault(p => p.MaHoSo == confirm && (destination is null || p.Destination == destination));
            Message = Confirm is null ? $"Hồ sơ {confirm} không còn tạm dừng." : null;
        }
    }

    public async Task<IActionResult> OnPostAsync(string destination, string maHoSo)
    {
        var client = User.FindFirst(HubClaims.ClientId)!.Value;
        try
        {
            var id = await admin.RequestReplayAsync(destination, maHoSo, client, HttpContext.RequestAborted).ConfigureAwait(false);
            Message = $"Đã yêu cầu gửi lại hồ sơ {maHoSo} tới {destination} (mã yêu cầu {id}).";
        }
        catch (HubException e)
        {
            Message = $"Không gửi lại được: {e.Message}";
        }

        Parked = admin.ListParked(null);
        return Page();
    }
}
