using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

namespace Gatehouse.Gateway.Waf;

/// <summary>The managed rules the WAF runs, read from the rule files in use, for the management API to list.</summary>
public static class ManagedWafRules
{
    /// <summary>A rule that denies by itself blocks; every other rule adds to the anomaly score, as Azure's CRS rules do.</summary>
    public static IReadOnlyList<WafRuleSets.ManagedRule> Running() =>
        [.. CrsRuleFiles.Running().Select(rule => new WafRuleSets.ManagedRule(rule.Id, rule.Message!, rule.Denies ? "Block" : "AnomalyScoring"))];
}
