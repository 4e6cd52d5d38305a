namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// A layer-4 listener (<c>listeners</c>): Tcp passes bytes through; Tls terminates TLS with <see cref="SslCertificateId"/>
/// and the SSL profile (client authentication included) first. <see cref="HostNames"/> pick a Tls listener by SNI.
/// </summary>
public sealed record Listener(
    string Id,
    string Name,
    string FrontendIpConfigurationId,
    string FrontendPortId,
    ListenerProtocol Protocol,
    IReadOnlyList<string> HostNames,
    string? SslCertificateId,
    string? SslProfileId);

/// <summary>A layer-4 routing rule (<c>routingRules</c>): every connection to the listener goes to the pool with the settings.</summary>
public sealed record RoutingRule(
    string Id,
    string Name,
    int Priority,
    string ListenerId,
    string? BackendAddressPoolId,
    string? BackendSettingsId);

/// <summary>
/// How a layer-4 rule reaches its pool (<c>backendSettingsCollection</c>): Tcp or Tls on <see cref="Port"/>, giving up a
/// connection attempt after <see cref="TimeoutSeconds"/>. For Tls, <see cref="HostName"/> (or the member's name) is the SNI
/// and the name the backend's certificate must carry.
/// </summary>
public sealed record BackendSettings(
    string Id,
    string Name,
    int Port,
    ListenerProtocol Protocol,
    int TimeoutSeconds,
    string? ProbeId,
    IReadOnlyList<string> TrustedRootCertificateIds,
    string? HostName,
    bool PickHostNameFromBackendAddress)
{
    /// <summary>Azure's default connection timeout for layer-4 settings.</summary>
    public const int DefaultTimeoutSeconds = 60;
}
