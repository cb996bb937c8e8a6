using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneStop.Hub.Evidence;
using OneStop.Hub.Security;

namespace OneStop.Hub.Host.Pages.Console;

/// <summary>Sign-in with an API key; success and refusal are both recorded as evidence (never the key).</summary>
public sealed class LoginModel(IAccessPolicy access, IEvidenceRecorder evidence, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? ApiKey { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var client = string.IsNullOrEmpty(ApiKey) ? null : access.FindByApiKey(ApiKey);
        var allowed = client is not null && OperatorConsole.MayUseConsole(access, client.Id);
        await evidence.RecordAsync(new ExchangeRecord
        {
            Client = client?.Id ?? "anonymous",
            Operation = "Console/Login",
            Time = time.GetUtcNow(),
            Outcome = allowed ? "ok" : client is null ? "unauthenticated" : "permission_denied",
        }, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!allowed)
        {
            Error = client is null ? "Khóa API không đúng." : $"Hệ thống {client.Id} không có quyền quản trị.";
            return Page();
        }

        await HttpContext.SignInAsync(OperatorConsole.Scheme, OperatorConsole.Principal(client!.Id)).ConfigureAwait(false);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) && ReturnUrl!.StartsWith("/console", StringComparison.Ordinal) ? ReturnUrl : "/console");
    }
}
