using Gatehouse.Network.ApplicationGateways;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

namespace Gatehouse.Control.Api;

/// <summary>
/// The Microsoft.Network provider's application gateway discovery endpoints that az's
/// <c>network application-gateway ssl-policy list-options|predefined list|predefined show</c> and
/// <c>rewrite-rule list-server-variables|list-request-headers|list-response-headers</c> and <c>waf-config list-rule-sets</c> read; the data is the
/// provider's own (<see cref="AvailableOptions"/>), but for the WAF rules, which the data plane reads from the rule files it runs.
/// </summary>
internal static class NetworkDiscoveryEndpoints
{
    private const string Provider = "/providers/Microsoft.Network";
    private const string SslOptions = Provider + "/applicationGatewayAvailableSslOptions/default";

    public static void MapNetworkDiscoveryEndpoints(this RouteGroupBuilder subscription)
    {
        subscription.MapGet(Provider + "/applicationGatewayAvailableServerVariables", () => Names(AvailableOptions.ServerVariables));
        subscription.MapGet(Provider + "/applicationGatewayAvailableRequestHeaders", () => Names(AvailableOptions.RequestHeaders));
        subscription.MapGet(Provider + "/applicationGatewayAvailableResponseHeaders", () => Names(AvailableOptions.ResponseHeaders));
        subscription.MapGet(Provider + "/applicationGatewayAvailableWafRuleSets", (IGatewayRuntime runtime) =>
            ArmResponses.Json(WafRuleSets.AvailableBody(runtime.ManagedWafRules())));
        subscription.MapGet(SslOptions, (string subscriptionId) => ArmResponses.Json(AvailableOptions.SslOptions(subscriptionId)));
        subscription.MapGet(SslOptions + "/predefinedPolicies", (string subscriptionId) => ArmResponses.Json(AvailableOptions.PredefinedPolicies(subscriptionId)));
        subscription.MapGet(SslOptions + "/predefinedPolicies/{policyName}", (string subscriptionId, string policyName) =>
            ArmResponses.Json(AvailableOptions.PredefinedPolicy(subscriptionId, policyName)));
    }

    private static IResult Names(IEnumerable<string> names) =>
        ArmResponses.Json(new System.Text.Json.Nodes.JsonArray(names.Select(n => (System.Text.Json.Nodes.JsonNode)n).ToArray()));
}
