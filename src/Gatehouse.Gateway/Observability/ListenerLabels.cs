using Gatehouse.Network;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Observability;

/// <summary>
/// The names a listener's requests are logged and measured under (its gateway, rule, pool and settings), resolved once
/// when the plan is compiled so that the request path only copies references.
/// </summary>
internal sealed record ListenerLabels(string GatewayId, string ListenerName, string RuleName, string BackendPoolName, string BackendSettingName)
{
    /// <summary>The access log's <c>resourceId</c>, which Azure writes upper-cased.</summary>
    public string LoggedResourceId { get; } = GatewayId.ToUpperInvariant();

    public static ListenerLabels For(string gatewayId, string listenerName, RequestRoutingRule rule) =>
        new(gatewayId, listenerName, rule.Name, Name(rule.LoadDistributionPolicyId ?? rule.BackendAddressPoolId), Name(rule.BackendHttpSettingsId));

    /// <summary>Azure's metric dimensions for the listener's requests, plus the gateway so that one scrape can hold several.</summary>
    public KeyValuePair<string, object?>[] Tags() =>
    [
        new(MetricDimensions.ResourceId, GatewayId),
        new(MetricDimensions.Listener, ListenerName),
        new(MetricDimensions.BackendPool, BackendPoolName),
        new(MetricDimensions.BackendHttpSetting, BackendSettingName),
    ];

    private static string Name(string? id) => id is null ? "" : ResourceIds.LastSegment(id);
}
