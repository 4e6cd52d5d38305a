using Gatehouse.Gateway.Waf;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

namespace Gatehouse.Gateway.Tests;

/// <summary>The managed rules the management API lists are those the engine runs, read from Debian's CRS 3.3.4.</summary>
public sealed class ManagedWafRulesTests
{
    [Fact]
    public void The_running_rules_are_the_CRS_rules_at_paranoia_level_1_with_their_messages()
    {
        var running = ManagedWafRules.Running().ToDictionary(rule => rule.RuleId);

        Assert.Equal(new WafRuleSets.ManagedRule(942100, "SQL Injection Attack Detected via libinjection", "AnomalyScoring"), running[942100]);
        Assert.Equal("Block", running[200002].Action);
        Assert.DoesNotContain(942200, running.Keys); // paranoia level 2: skipped by the engine at level 1
        Assert.DoesNotContain(942011, running.Keys); // the paranoia skip itself, no rule of its own
    }

    [Fact]
    public void Every_rule_set_lists_each_group_with_CRS_rules_and_the_rules_it_runs()
    {
        var body = WafRuleSets.AvailableBody(ManagedWafRules.Running());

        foreach (var (set, listed) in WafRuleSets.Available.Zip(body["value"]!.AsArray()))
        {
            var groups = listed!["properties"]!["ruleGroups"]!.AsArray();
            Assert.Equal(set.Groups.Where(g => g.CrsFile is not null).Select(g => g.Name), groups.Select(g => (string?)g!["ruleGroupName"]));
            Assert.All(groups, g => Assert.NotEmpty(g!["rules"]!.AsArray()));
        }
    }
}
