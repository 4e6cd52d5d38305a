namespace Gatehouse.Network.ApplicationGateways;

/// <summary>The specification's ApplicationGatewayProtocol; Tcp and Tls (layer 4) are refused until they are served.</summary>
public enum ListenerProtocol { Http, Https, Tcp, Tls }

/// <summary>
/// An HTTP(S) listener. <see cref="HostNames"/> holds <c>hostName</c> or <c>hostNames</c> (they are exclusive);
/// empty means a basic listener that takes every host.
/// </summary>
public sealed record HttpListener(
    string Id,
    string Name,
    string FrontendIpConfigurationId,
    string FrontendPortId,
    ListenerProtocol Protocol,
    IReadOnlyList<string> HostNames,
    string? SslCertificateId,
    string? SslProfileId)
{
    // Plain settings are init-only properties, bound by name from the listener's properties (InitPropertyBinder).

    /// <summary>The WAF policy of this listener's requests, over the gateway's.</summary>
    public string? FirewallPolicyId { get; init; }

    /// <summary>Whether a TLS client must send SNI (only HTTPS listeners use it); false by default.</summary>
    public bool RequireServerNameIndication { get; init; }

    /// <summary>Pages served instead of the gateway's own error responses; they take precedence over the gateway-wide ones.</summary>
    public IReadOnlyList<CustomErrorConfiguration> CustomErrorConfigurations { get; init; } = [];
}

/// <summary>Replaces a gateway-generated response with status <see cref="StatusCode"/> by the page at <see cref="CustomErrorPageUrl"/>.</summary>
public sealed record CustomErrorConfiguration(int StatusCode, string CustomErrorPageUrl);

public enum RoutingRuleType { Basic, PathBasedRouting }

public sealed record RequestRoutingRule(
    string Id,
    string Name,
    RoutingRuleType RuleType,
    int Priority,
    string HttpListenerId,
    string? BackendAddressPoolId,
    string? BackendHttpSettingsId,
    string? RewriteRuleSetId,
    string? RedirectConfigurationId,
    string? UrlPathMapId)
{
    /// <summary>The Entra JWT validation the rule's requests go through; none when null.</summary>
    public string? EntraJwtValidationConfigId { get; init; }

    /// <summary>Spreads the rule's requests in place of <see cref="BackendAddressPoolId"/>.</summary>
    public string? LoadDistributionPolicyId { get; init; }
}

/// <summary>
/// Path-based routing: the first path rule whose paths match the request path wins; otherwise the defaults apply.
/// Either a pool and settings or a redirect is set, at the map's level and on each rule.
/// </summary>
public sealed record UrlPathMap(
    string Id,
    string Name,
    string? DefaultBackendAddressPoolId,
    string? DefaultBackendHttpSettingsId,
    string? DefaultRewriteRuleSetId,
    string? DefaultRedirectConfigurationId,
    IReadOnlyList<PathRule> PathRules)
{
    /// <summary>Spreads the default's requests in place of <see cref="DefaultBackendAddressPoolId"/>.</summary>
    public string? DefaultLoadDistributionPolicyId { get; init; }
}

/// <summary><see cref="Paths"/> match the URL path only; a trailing <c>*</c> matches any rest of the path.</summary>
public sealed record PathRule(
    string Id,
    string Name,
    IReadOnlyList<string> Paths,
    string? BackendAddressPoolId,
    string? BackendHttpSettingsId,
    string? RewriteRuleSetId,
    string? RedirectConfigurationId)
{
    /// <summary>The WAF policy of requests this path rule takes, over the listener's and the gateway's.</summary>
    public string? FirewallPolicyId { get; init; }

    /// <summary>Spreads the path rule's requests in place of <see cref="BackendAddressPoolId"/>.</summary>
    public string? LoadDistributionPolicyId { get; init; }
}

public enum RedirectType { Permanent, Found, SeeOther, Temporary }

/// <summary>Redirects to another listener (<see cref="TargetListenerId"/>) or to <see cref="TargetUrl"/>.</summary>
public sealed record RedirectConfiguration(
    string Id,
    string Name,
    RedirectType RedirectType,
    string? TargetListenerId,
    string? TargetUrl,
    bool IncludePath,
    bool IncludeQueryString)
{
    /// <summary>The HTTP status the redirect answers with.</summary>
    public int StatusCode => RedirectType switch
    {
        RedirectType.Permanent => 301,
        RedirectType.Found => 302,
        RedirectType.SeeOther => 303,
        _ => 307,
    };
}
