using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.WebEncoders;
using OneStop.Hub.Security;

namespace OneStop.Hub.Host;

/// <summary>
/// The operator console: server-rendered Razor Pages at <c>/console</c> on the HTTP port (no front-end build).
/// A browser signs in once with the API key of a client that holds the admin right; the hub answers with an
/// HttpOnly, SameSite=Strict cookie scoped to <c>/console</c>, and checks the right again on every request.
/// </summary>
public static class OperatorConsole
{
    public const string Scheme = "OneStopConsole";
    public const string Policy = "OneStopConsole";

    /// <summary>The right a console user needs: the admin right over deliveries (which also lets them replay).</summary>
    public const string RequiredOperation = "AdminService/ReplayParked";

    public static WebApplicationBuilder AddOneStopConsole(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Console", Policy);
            o.Conventions.AllowAnonymousToPage("/Console/Login");
        });
        builder.Services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.LoginPath = "/console/login";
            o.LogoutPath = "/console/logout";
            o.AccessDeniedPath = "/console/login";
            o.Cookie.Name = "onestop-console";
            o.Cookie.Path = "/console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, p => p
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            // Checked against the registry on every request: a client whose right was taken away is out at once.
            .RequireAssertion(c => c.User.FindFirst(HubClaims.ClientId)?.Value is { } id
                && c.Resource is HttpContext http && MayUseConsole(http.RequestServices.GetRequiredService<IAccessPolicy>(), id)));
        // Vietnamese as characters, not entities, in the pages' source.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        return builder;
    }

    public static WebApplication MapOneStopConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapRazorPages();
        return app;
    }

    public static bool MayUseConsole(IAccessPolicy access, string clientId)
    {
        ArgumentNullException.ThrowIfNull(access);
        return access.Find(clientId)?.MayCall(RequiredOperation) ?? false;
    }

    public static ClaimsPrincipal Principal(string clientId) =>
        new(new ClaimsIdentity([new Claim(HubClaims.ClientId, clientId), new Claim(ClaimTypes.Name, clientId)], Scheme));
}
