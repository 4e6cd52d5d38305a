using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Errors;
using Gatehouse.Network.ApplicationGateways;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

namespace Gatehouse.Network.Tests;

/// <summary>The discovery endpoints' data against the REST specification's examples.</summary>
public sealed class AvailableOptionsTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000000";

    private static JsonNode Body(string example) => RestExample.Example(example)["responses"]!["200"]!["body"]!;

    [Fact]
    public void Every_predefined_policy_of_the_example_is_listed_exactly()
    {
        var listed = AvailableOptions.PredefinedPolicies(Subscription)["value"]!.AsArray();
        foreach (var expected in Body("ApplicationGatewayAvailableSslOptionsPredefinedPoliciesGet.json")["value"]!.AsArray())
        {
            var actual = listed.Single(p => (string?)p!["name"] == (string?)expected!["name"]);
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{expected!["name"]}: {actual!.ToJsonString()}");
        }
        Assert.Equal(["AppGwSslPolicy20150501", "AppGwSslPolicy20170401", "AppGwSslPolicy20170401S", "AppGwSslPolicy20220101", "AppGwSslPolicy20220101S"],
            listed.Select(p => (string?)p!["name"]));
    }

    [Fact]
    public void One_predefined_policy_reads_as_the_example_and_an_unknown_one_is_not_found()
    {
        Assert.True(JsonNode.DeepEquals(Body("ApplicationGatewayAvailableSslOptionsPredefinedPolicyGet.json"),
            AvailableOptions.PredefinedPolicy(Subscription, "appgwsslpolicy20150501")));
        var error = Assert.Throws<ArmException>(() => AvailableOptions.PredefinedPolicy(Subscription, "AppGwSslPolicy2099")).Error;
        Assert.Equal("NotFound", error.Code);
        Assert.Contains("AppGwSslPolicy2099", error.Message);
    }

    [Fact]
    public void The_2022_policies_allow_tls_1_2_and_1_3()
    {
        var policy = AvailableOptions.PredefinedPolicy(Subscription, "AppGwSslPolicy20220101S")["properties"]!;
        Assert.Equal("TLSv1_2", (string?)policy["minProtocolVersion"]);
        Assert.Equal(["TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"], policy["cipherSuites"]!.AsArray().Take(2).Select(s => (string?)s));
        Assert.Equal(6, policy["cipherSuites"]!.AsArray().Count);
    }

    [Fact]
    public void Ssl_options_name_the_default_policy_protocols_and_suites()
    {
        var options = AvailableOptions.SslOptions(Subscription);
        var properties = options["properties"]!;
        Assert.Equal($"/subscriptions/{Subscription}/resourceGroups//providers/Microsoft.Network/ApplicationGatewayAvailableSslOptions/default", (string?)options["id"]);
        Assert.Equal("AppGwSslPolicy20220101", (string?)properties["defaultPolicy"]);
        Assert.Equal(["TLSv1_0", "TLSv1_1", "TLSv1_2", "TLSv1_3"], properties["availableProtocols"]!.AsArray().Select(p => (string?)p));
        Assert.Equal(30, properties["availableCipherSuites"]!.AsArray().Count);
        Assert.EndsWith("/ApplicationGatewaySslPredefinedPolicy/AppGwSslPolicy20220101S", (string?)properties["predefinedPolicies"]![4]!["id"]);
    }

    [Theory]
    [InlineData("ApplicationGatewayAvailableServerVariablesGet.json")]
    [InlineData("ApplicationGatewayAvailableRequestHeadersGet.json")]
    [InlineData("ApplicationGatewayAvailableResponseHeadersGet.json")]
    public void Server_variables_and_headers_include_what_the_examples_show(string example)
    {
        var list = example switch
        {
            "ApplicationGatewayAvailableServerVariablesGet.json" => AvailableOptions.ServerVariables,
            "ApplicationGatewayAvailableRequestHeadersGet.json" => AvailableOptions.RequestHeaders,
            _ => AvailableOptions.ResponseHeaders,
        };
        Assert.All(Body(example).AsArray(), name => Assert.Contains((string)name!, list));
        Assert.Equal(list.Count, list.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void The_available_WAF_rule_sets_are_those_that_run_here_in_the_examples_shape()
    {
        var expected = Body("ApplicationGatewayAvailableWafRuleSetsGet.json")["value"]![0]!;
        var listed = WafRuleSets.AvailableBody([new(942100, "SQL Injection Attack Detected via libinjection", "AnomalyScoring")])["value"]!.AsArray();

        Assert.Equal(["OWASP_3.0", "OWASP_3.1", "OWASP_3.2", "Microsoft_DefaultRuleSet_2.1"], listed.Select(s => (string?)s!["name"]));
        var owasp30 = listed[0]!;
        Assert.Equal(((string?)expected["type"], (string?)expected["properties"]!["ruleSetType"], (string?)expected["properties"]!["ruleSetVersion"]),
            ((string?)owasp30["type"], (string?)owasp30["properties"]!["ruleSetType"], (string?)owasp30["properties"]!["ruleSetVersion"]));
    }

    [Fact]
    public void Each_rule_set_lists_the_running_rules_under_their_group_and_no_group_without_rules()
    {
        List<WafRuleSets.ManagedRule> running =
        [
            new(200002, "Failed to parse request body.", "Block"),
            new(941100, "XSS Attack Detected via libinjection", "AnomalyScoring"),
            new(942100, "SQL Injection Attack Detected via libinjection", "AnomalyScoring"),
        ];

        var listed = WafRuleSets.AvailableBody(running)["value"]!.AsArray();

        foreach (var set in listed)
        {
            var groups = set!["properties"]!["ruleGroups"]!.AsArray();
            Assert.Equal(3, groups.Count);
            Assert.All(groups, g => Assert.NotEmpty(g!["rules"]!.AsArray()));
        }
        var sqli = listed[2]!["properties"]!["ruleGroups"]!.AsArray().Single(g => (string?)g!["ruleGroupName"] == "REQUEST-942-APPLICATION-ATTACK-SQLI")!;
        var rule = Assert.Single(sqli["rules"]!.AsArray())!;
        Assert.Equal((942100, "942100", "SQL Injection Attack Detected via libinjection", "Enabled", "AnomalyScoring"),
            ((int)rule["ruleId"]!, (string?)rule["ruleIdString"], (string?)rule["description"], (string?)rule["state"], (string?)rule["action"]));
        var general = listed[3]!["properties"]!["ruleGroups"]!.AsArray().Single(g => (string?)g!["ruleGroupName"] == "General")!;
        Assert.Equal("Block", (string?)general["rules"]![0]!["action"]);
    }
}
