namespace OneStop.Hub.Security;

/// <summary>Names the transports and the core share about the authenticated caller.</summary>
public static class HubClaims
{
    /// <summary>Authentication scheme of the hub's clients (API key and/or client certificate).</summary>
    public const string Scheme = "OneStopClient";

    /// <summary>Claim holding the client id.</summary>
    public const string ClientId = "onestop:client";

    /// <summary>Claim saying how the client proved itself: api-key, certificate, api-key+certificate.</summary>
    public const string Credential = "onestop:credential";

    /// <summary>Authorization policy that checks the client's right to the operation named by the resource (<c>Service/Method</c>).</summary>
    public const string OperationPolicy = "onestop:operation";

    /// <summary>HttpContext item with the reason authentication failed (never the key itself).</summary>
    public const string FailureItem = "onestop:auth-failure";

    /// <summary>Operation name <c>Service/Method</c> of a gRPC method path <c>/package.Service/Method</c>.</summary>
    public static string OperationOfGrpcMethod(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var path = method.TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return path;
        }

        var service = path[..slash];
        var dot = service.LastIndexOf('.');
        return string.Concat(dot < 0 ? service : service[(dot + 1)..], "/", path[(slash + 1)..]);
    }
}
