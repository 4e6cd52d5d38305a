using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.Json;
using static Gatehouse.Network.PropertyPaths;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>Azure's per-gateway limits (appgw-behaviour §7, standard SKUs and WAF with CRS 3.2+).</summary>
internal static class GatewayLimits
{
    private static readonly (string Collection, int Max)[] PerGateway =
    [
        ("frontendIPConfigurations", 4), ("frontendPorts", 100), ("backendAddressPools", 100),
        ("backendHttpSettingsCollection", 100), ("httpListeners", 200), ("requestRoutingRules", 400),
        ("sslCertificates", 100), ("authenticationCertificates", 100), ("trustedRootCertificates", 100),
        ("trustedClientCertificates", 200), ("urlPathMaps", 100), ("redirectConfigurations", 100),
        ("rewriteRuleSets", 400), ("privateLinkConfigurations", 2),
    ];

    // (collection, list inside each element, maximum)
    private static readonly (string Collection, string List, int Max)[] PerElement =
    [
        ("backendAddressPools", "backendAddresses", 1200),
        ("urlPathMaps", "pathRules", 100),
        ("sslProfiles", "trustedClientCertificates", 100),
    ];

    private const int RewriteConfigurationsPerSet = 40;
    private const int ConditionsPerSet = 40;

    public static void Enforce(string gatewayId, JsonObject properties, ArmErrorList errors)
    {
        foreach (var (collection, max) in PerGateway)
            Check(properties.Objects(collection).Count(), max, collection, gatewayId, $"properties.{collection}", errors);
        foreach (var (collection, list, max) in PerElement)
            foreach (var (item, index) in properties.Objects(collection).Select((item, i) => (item, i)))
                Check(item.Properties().Objects(list).Count(), max, list, item.String("id")!, Of(Item(collection, index), list), errors);

        foreach (var (set, index) in properties.Objects("rewriteRuleSets").Select((set, i) => (set, Item("rewriteRuleSets", i))))
        {
            var rules = set.Properties().Objects("rewriteRules").ToList();
            var actions = rules.Select(r => r.Object("actionSet")).ToList();
            var configurations = actions.Sum(a => a.Objects("requestHeaderConfigurations").Count()
                + a.Objects("responseHeaderConfigurations").Count() + (a.Object("urlConfiguration") is null ? 0 : 1));
            Check(configurations, RewriteConfigurationsPerSet, "header and URL configurations", set.String("id")!, Of(index, "rewriteRules"), errors);
            Check(rules.Sum(r => r.Objects("conditions").Count()), ConditionsPerSet, "conditions", set.String("id")!, Of(index, "rewriteRules"), errors);
        }
    }

    private static void Check(int count, int max, string what, string ownerId, string path, ArmErrorList errors)
    {
        if (count > max) errors.Add(ArmErrors.LimitExceeded(path, ownerId, count, what, max));
    }
}
