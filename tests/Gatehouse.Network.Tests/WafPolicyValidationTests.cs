using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

namespace Gatehouse.Network.Tests;

/// <summary>WAF policies and the legacy configuration as the provider checks them: every problem at once, and nothing that cannot run accepted.</summary>
public sealed class WafPolicyValidationTests
{
    private const string PolicyId =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/policy1";

    private static ProvisionedResource Provision(string properties) => NetworkProvider.Provision(
        new ResourceInput(PolicyId, "Microsoft.Network/applicationGatewayWebApplicationFirewallPolicies", "policy1", "2025-03-01",
            JsonNode.Parse($$"""{ "location": "westus", "properties": {{properties}} }""")!.AsObject()), _ => null);

    private static IReadOnlyList<ArmError> Problems(string properties) =>
        ArmErrors.Problems(Assert.Throws<ArmException>(() => Provision(properties)).Error);

    [Fact]
    public void A_policy_is_read_with_Azures_defaults_and_stored_under_one_type_spelling()
    {
        var resource = Provision("""{ "managedRules": { "managedRuleSets": [{ "ruleSetType": "Microsoft_DefaultRuleSet", "ruleSetVersion": "2.1" }] } }""");

        var policy = NetworkProvider.ReadWafPolicy(resource);

        Assert.Equal(NetworkProvider.WafPolicyType, resource.Type);
        Assert.Equal((true, WafMode.Detection, true, 128, 100), (policy.Settings.Enabled, policy.Settings.Mode, policy.Settings.RequestBodyCheck,
            policy.Settings.MaxRequestBodySizeInKb, policy.Settings.FileUploadLimitInMb));
        Assert.Equal(("Microsoft_DefaultRuleSet", "2.1"), (policy.ManagedRuleSet.RuleSetType, policy.ManagedRuleSet.RuleSetVersion));
    }

    [Fact]
    public void Every_problem_of_a_policy_is_reported_at_once_with_its_path()
    {
        var problems = Problems("""
            {
              "policySettings": { "mode": "Prevention", "customBlockResponseStatusCode": 302, "maxRequestBodySizeInKb": 4 },
              "managedRules": { "managedRuleSets": [{ "ruleSetType": "OWASP", "ruleSetVersion": "3.2", "ruleGroupOverrides": [
                  { "ruleGroupName": "REQUEST-942-APPLICATION-ATTACK-SQLI", "rules": [{ "ruleId": "941100" }] },
                  { "ruleGroupName": "NO-SUCH-GROUP" } ] }] },
              "customRules": [
                { "name": "a", "priority": 1, "ruleType": "MatchRule", "action": "Block",
                  "matchConditions": [{ "matchVariables": [{ "variableName": "RemoteAddr" }], "operator": "IPMatch", "matchValues": ["not-an-ip"] }] },
                { "name": "b", "priority": 1, "ruleType": "RateLimitRule", "action": "Block",
                  "matchConditions": [{ "matchVariables": [{ "variableName": "RequestHeaders" }], "operator": "Contains", "matchValues": ["x"] }] }
              ]
            }
            """);

        Assert.Equal(
        [
            ("ApplicationGatewayFirewallValueOutOfRange", "properties.policySettings.maxRequestBodySizeInKb"),
            ("ApplicationGatewayFirewallCustomBlockResponseStatusCodeInvalid", "properties.policySettings.customBlockResponseStatusCode"),
            ("ApplicationGatewayFirewallRuleNotFound", "properties.managedRules.managedRuleSets[0].ruleGroupOverrides[0].rules[0].ruleId"),
            ("ApplicationGatewayFirewallRuleGroupNotFound", "properties.managedRules.managedRuleSets[0].ruleGroupOverrides[1].ruleGroupName"),
            ("ApplicationGatewayFirewallMatchValueInvalid", "properties.customRules[0].matchConditions[0].matchValues[0]"),
            ("ApplicationGatewayFirewallMatchVariableSelectorRequired", "properties.customRules[1].matchConditions[0].matchVariables[0]"),
            ("ApplicationGatewayFirewallRateLimitRuleInvalid", "properties.customRules[1]"),
            ("ApplicationGatewayFirewallCustomRulePriorityNotUnique", "properties.customRules[1].priority"),
        ], problems.Select(p => (p.Code, p.Target!)));
    }

    [Theory]
    [InlineData("""{ "ruleSetType": "Microsoft_BotManagerRuleSet", "ruleSetVersion": "1.0" }""", "Microsoft_BotManagerRuleSet")]
    [InlineData("""{ "ruleSetType": "OWASP", "ruleSetVersion": "2.2.9" }""", "OWASP 2.2.9")]
    public void A_rule_set_that_cannot_run_here_is_refused_by_name(string ruleSet, string named)
    {
        var problem = Assert.Single(Problems($$"""{ "managedRules": { "managedRuleSets": [{{ruleSet}}] } }"""));

        Assert.Equal("ApplicationGatewayFirewallRuleSetNotAvailable", problem.Code);
        Assert.Contains(named, problem.Message);
        Assert.Contains("OWASP_3.2", problem.Message);
    }

    [Theory]
    [InlineData("GeoMatch", "Block", "the GeoMatch operator")]
    [InlineData("Contains", "JSChallenge", "the JavaScript challenge action")]
    public void A_custom_rule_feature_that_needs_Microsofts_data_is_refused_by_name(string op, string action, string feature)
    {
        var problem = Assert.Single(Problems($$"""
            {
              "managedRules": { "managedRuleSets": [{ "ruleSetType": "OWASP", "ruleSetVersion": "3.2" }] },
              "customRules": [{ "name": "r", "priority": 1, "ruleType": "MatchRule", "action": "{{action}}",
                "matchConditions": [{ "matchVariables": [{ "variableName": "RemoteAddr" }], "operator": "{{op}}", "matchValues": ["US"] }] }]
            }
            """));

        Assert.Equal("ApplicationGatewayFirewallFeatureNotSupportedLocally", problem.Code);
        Assert.Contains(feature, problem.Message);
    }

    [Fact]
    public void A_managed_rule_override_with_the_JavaScript_challenge_is_refused_by_name()
    {
        var problem = Assert.Single(Problems("""
            {
              "managedRules": { "managedRuleSets": [{ "ruleSetType": "OWASP", "ruleSetVersion": "3.2", "ruleGroupOverrides": [
                { "ruleGroupName": "REQUEST-942-APPLICATION-ATTACK-SQLI", "rules": [
                  { "ruleId": "942100", "state": "Enabled", "action": "Log" }, { "ruleId": "942130", "state": "Enabled", "action": "Allow" },
                  { "ruleId": "942180", "state": "Enabled", "action": "JSChallenge" } ] }] }] }
            }
            """));

        Assert.Equal(("ApplicationGatewayFirewallFeatureNotSupportedLocally", "properties.managedRules.managedRuleSets[0].ruleGroupOverrides[0].rules[2].action"),
            (problem.Code, problem.Target));
        Assert.Contains("JSChallenge", problem.Message);
    }

    [Fact]
    public void The_legacy_configuration_on_a_Standard_v2_gateway_and_a_missing_policy_are_refused()
    {
        var problems = ArmErrors.Problems(Assert.Throws<ArmException>(() => NetworkProvider.Provision(ReferenceDeployment.GatewayInput(g =>
        {
            var properties = g["properties"]!.AsObject();
            properties["webApplicationFirewallConfiguration"] = JsonNode.Parse(
                """{ "enabled": true, "firewallMode": "Prevention", "ruleSetType": "OWASP", "ruleSetVersion": "3.9" }""");
            properties["firewallPolicy"] = new JsonObject { ["id"] = PolicyId };
        }), ReferenceDeployment.Neighbours())).Error);

        Assert.Equal(
            ["ApplicationGatewayFirewallRuleSetNotAvailable", "InvalidResourceReference", "ApplicationGatewayFirewallNotSupportedForSku"],
            problems.Select(p => p.Code));
    }
}
