using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.Extensions.Options;
using OneStop.Hub.Security;

namespace OneStop.Hub.Host.Security;

/// <summary>
/// How client certificates are checked before their thumbprint is looked up in <c>Security:Clients</c>: bound from
/// <c>Security:ClientCertificates</c> and applied to ASP.NET Core's certificate authentication.
/// </summary>
public sealed class ClientCertificateOptions
{
    /// <summary>
    /// <c>All</c> (default): self-signed or CA-issued; the registered thumbprint is what admits a client.
    /// <c>Chained</c>: only certificates that chain to a trusted root (<see cref="TrustedRootsPath"/>, else the system's roots).
    /// <c>SelfSigned</c>: only self-signed ones.
    /// </summary>
    public CertificateTypes AllowedTypes { get; set; } = CertificateTypes.All;

    /// <summary>Revocation check of CA-issued certificates: <c>Online</c> (default: the CA's CRL or OCSP), <c>Offline</c> (cached only) or <c>NoCheck</c>.</summary>
    public X509RevocationMode RevocationMode { get; set; } = X509RevocationMode.Online;

    /// <summary>Which certificates of the chain revocation is checked for (default the whole chain but the root).</summary>
    public X509RevocationFlag RevocationFlag { get; set; } = X509RevocationFlag.ExcludeRoot;

    /// <summary>A PEM file of the CA certificates client certificates must chain to; empty = the system's trusted roots.</summary>
    public string? TrustedRootsPath { get; set; }

    /// <summary>Require the client-authentication extended key usage when a certificate has an EKU extension.</summary>
    public bool ValidateCertificateUse { get; set; } = true;
}

internal static class ClientCertificates
{
    public const string Scheme = CertificateAuthenticationDefaults.AuthenticationScheme;

    public const string NotRegistered = "the client certificate is not registered for any client";

    /// <summary>ASP.NET Core's certificate authentication, set up from <see cref="ClientCertificateOptions"/>; a valid certificate is then mapped to its client by SHA-256 thumbprint.</summary>
    public static void Add(IServiceCollection services, Microsoft.AspNetCore.Authentication.AuthenticationBuilder authentication)
    {
        services.AddOptions<ClientCertificateOptions>().BindConfiguration("Security:ClientCertificates")
            .Validate(o => string.IsNullOrWhiteSpace(o.TrustedRootsPath) || File.Exists(o.TrustedRootsPath),
                "Security:ClientCertificates:TrustedRootsPath: file not found")
            .ValidateOnStart();
        authentication.AddCertificate(Scheme, _ => { });
        services.AddOptions<CertificateAuthenticationOptions>(Scheme).Configure<IOptions<ClientCertificateOptions>>((o, settings) =>
        {
            var s = settings.Value;
            o.AllowedCertificateTypes = s.AllowedTypes;
            o.RevocationMode = s.RevocationMode;
            o.RevocationFlag = s.RevocationFlag;
            o.ValidateCertificateUse = s.ValidateCertificateUse;
            o.ValidateValidityPeriod = true;
            if (!string.IsNullOrWhiteSpace(s.TrustedRootsPath) && File.Exists(s.TrustedRootsPath))
            {
                o.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
                o.CustomTrustStore.ImportFromPemFile(s.TrustedRootsPath);
            }

            o.Events = new CertificateAuthenticationEvents
            {
                OnCertificateValidated = context =>
                {
                    var access = context.HttpContext.RequestServices.GetRequiredService<IAccessPolicy>();
                    var client = access.FindByCertificate(context.ClientCertificate.GetCertHashString(HashAlgorithmName.SHA256));
                    if (client is null)
                    {
                        context.Fail(NotRegistered);
                        return Task.CompletedTask;
                    }

                    context.Principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(HubClaims.ClientId, client.Id)], Scheme));
                    context.Success();
                    return Task.CompletedTask;
                },
            };
        });
    }
}
