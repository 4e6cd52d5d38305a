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
    int RequestTimeoutSeconds);
