namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// The typed view of a provisioned <c>Microsoft.Network/applicationGateways</c> resource: what the data
/// plane compiles. Every reference is a full, canonical sub-resource id; compare ids ordinal-ignore-case.
/// </summary>
public sealed record ApplicationGateway(
    string Id,
    string Name,
    string Location,
    GatewaySku Sku,
    SslPolicy? SslPolicy,
    IReadOnlyList<SslCertificate> SslCertificates,
    IReadOnlyList<TrustedClientCertificate> TrustedClientCertificates,
    IReadOnlyList<SslProfile> SslProfiles,
    IReadOnlyList<FrontendIpConfiguration> FrontendIpConfigurations,
    IReadOnlyList<FrontendPort> FrontendPorts,
    IReadOnlyList<BackendAddressPool> BackendAddressPools,
    IReadOnlyList<BackendHttpSettings> BackendHttpSettingsCollection,
    IReadOnlyList<HttpListener> HttpListeners,
    IReadOnlyList<RequestRoutingRule> RequestRoutingRules,
    IReadOnlyList<RewriteRuleSet> RewriteRuleSets,
    bool EnableHttp2);

public sealed record GatewaySku(string Name, string Tier, int? Capacity);

public sealed record FrontendIpConfiguration(string Id, string Name, string? PublicIpAddressId, string? PrivateIpAddress);

public sealed record FrontendPort(string Id, string Name, int Port);
