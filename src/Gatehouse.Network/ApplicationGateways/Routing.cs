namespace Gatehouse.Network.ApplicationGateways;

public enum ListenerProtocol { Http, Https }

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
    string? SslProfileId,
    bool RequireServerNameIndication);

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
    string? UrlPathMapId);
