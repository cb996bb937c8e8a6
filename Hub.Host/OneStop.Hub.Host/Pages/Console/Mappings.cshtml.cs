using Microsoft.AspNetCore.Mvc.RazorPages;
using OneStop.Hub.Mappings;

namespace OneStop.Hub.Host.Pages.Console;

/// <summary>The mapping versions in force, the last reload and the last refused change.</summary>
public sealed class MappingsModel(IMappingAdmin admin) : PageModel
{
    public MappingStatus Status { get; private set; } = null!;

    public MappingReloadReport? LastReload { get; private set; }

    public MappingReloadReport? LastRefused { get; private set; }

    public void OnGet()
    {
        Status = admin.Status;
        LastReload = admin.LastReload;
        LastRefused = admin.LastRefused;
    }
}
