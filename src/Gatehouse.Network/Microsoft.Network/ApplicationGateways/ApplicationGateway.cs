using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

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
    IReadOnlyList<RewriteRuleSet> RewriteRuleSets)
{
    // Init-only rather than constructor parameters, so that code constructing the record positionally keeps compiling.

    public IReadOnlyList<TrustedRootCertificate> TrustedRootCertificates { get; init; } = [];
    public IReadOnlyList<Probe> Probes { get; init; } = [];
    public IReadOnlyList<UrlPathMap> UrlPathMaps { get; init; } = [];
    public IReadOnlyList<RedirectConfiguration> RedirectConfigurations { get; init; } = [];
    public IReadOnlyList<EntraJwtValidationConfig> EntraJwtValidationConfigs { get; init; } = [];
    public IReadOnlyList<LoadDistributionPolicy> LoadDistributionPolicies { get; init; } = [];

    // The layer-4 path: TCP and TLS listeners, their rules and the settings that reach their pools.

    public IReadOnlyList<Listener> Listeners { get; init; } = [];
    public IReadOnlyList<RoutingRule> RoutingRules { get; init; } = [];
    public IReadOnlyList<BackendSettings> BackendSettingsCollection { get; init; } = [];

    /// <summary>Gateway-wide error pages; a listener's own take precedence.</summary>
    public IReadOnlyList<CustomErrorConfiguration> CustomErrorConfigurations { get; init; } = [];

    public bool EnableHttp2 { get; init; }

    /// <summary>The user-assigned identity (<c>identity.userAssignedIdentities</c>) that Key Vault certificates are read with.</summary>
    public string? UserAssignedIdentityId { get; init; }

    /// <summary>Stopped by the stop action until the start action: a stopped gateway serves nothing.</summary>
    public GatewayOperationalState OperationalState { get; init; } = GatewayOperationalState.Running;

    /// <summary><c>null</c> when the gateway runs a fixed <see cref="GatewaySku.Capacity"/>.</summary>
    public AutoscaleConfiguration? AutoscaleConfiguration { get; init; }

    /// <summary>The WAF policy of the whole gateway; a listener's or path rule's own takes precedence.</summary>
    public string? FirewallPolicyId { get; init; }

    /// <summary>The legacy <c>webApplicationFirewallConfiguration</c>, read as a policy; a firewallPolicy replaces it.</summary>
    public WafPolicy? WebApplicationFirewallConfiguration { get; init; }
}

/// <summary>The specification's ApplicationGatewayOperationalState.</summary>
public enum GatewayOperationalState { Stopped, Starting, Running, Stopping }


/// <summary>Instances between <see cref="MinCapacity"/> and <see cref="MaxCapacity"/> (10 when omitted, appgw-behaviour §5.2).</summary>
public sealed record AutoscaleConfiguration(int MinCapacity, int MaxCapacity)
{
    public const int DefaultMaxCapacity = 10;
}

public sealed record GatewaySku(string Name, string Tier, int? Capacity);

public sealed record FrontendIpConfiguration(string Id, string Name, string? PublicIpAddressId, string? PrivateIpAddress)
{
    /// <summary>The <c>ipAddress</c> of the public IP it names, where that is known (see <see cref="NetworkProvider.ReadApplicationGateways"/>).</summary>
    public string? PublicAddress { get; init; }

    /// <summary>The address clients reach the frontend at: its public IP's, or its private one.</summary>
    public string? Address => PublicIpAddressId is not null ? PublicAddress : PrivateIpAddress;
}

public sealed record FrontendPort(string Id, string Name, int Port);
