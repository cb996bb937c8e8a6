using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneStop.Hub.Dossiers;

namespace OneStop.Hub.Host.Pages.Console;

/// <summary>One dossier's trail: every event, and its state at every destination.</summary>
public sealed class DossierModel(IDossierAdmin admin) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Ma { get; set; }

    public DossierTrail? Trail { get; private set; }

    public void OnGet()
    {
        Ma = Ma?.Trim();
        Trail = string.IsNullOrEmpty(Ma) ? null : admin.GetTrail(Ma);
    }

    public static string State(DeliveryStatus status) => status switch
    {
        DeliveryStatus.NotApplicable => "NOT_APPLICABLE",
        _ => status.ToString().ToUpperInvariant(),
    };
}
