namespace Gatehouse.Network.ApplicationGateways;

/// <summary>One pool member: exactly one of <see cref="Fqdn"/> and <see cref="IpAddress"/> is set.</summary>
public sealed record BackendAddress(string? Fqdn, string? IpAddress)
{
    public string Host => Fqdn ?? IpAddress!;
}

public sealed record BackendAddressPool(string Id, string Name, IReadOnlyList<BackendAddress> BackendAddresses);

public sealed record BackendHttpSettings(
    string Id,
    string Name,
    int Port,
    ListenerProtocol Protocol,
    string? HostName,
    bool PickHostNameFromBackendAddress,
    string? Path,
    int RequestTimeoutSeconds)
{
    // Init-only rather than constructor parameters, so that code constructing the record positionally keeps compiling.

    /// <summary>The custom probe; <c>null</c> means the default probe (appgw-behaviour §5.9).</summary>
    public string? ProbeId { get; init; }

    public bool CookieBasedAffinity { get; init; }

    /// <summary>The affinity cookie's name; <c>null</c> means <c>ApplicationGatewayAffinity</c>.</summary>
    public string? AffinityCookieName { get; init; }

    public ConnectionDraining? ConnectionDraining { get; init; }

    /// <summary>Roots an HTTPS backend's certificate may chain to, besides well-known CAs.</summary>
    public IReadOnlyList<string> TrustedRootCertificateIds { get; init; } = [];

    public bool ValidateCertChainAndExpiry { get; init; } = true;

    public bool ValidateSni { get; init; } = true;

    /// <summary>The SNI sent to an HTTPS backend; <c>null</c> means the outgoing host name.</summary>
    public string? SniName { get; init; }
}

public sealed record ConnectionDraining(bool Enabled, int DrainTimeoutInSec);
