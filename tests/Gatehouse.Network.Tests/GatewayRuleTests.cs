using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Errors;

namespace Gatehouse.Network.Tests;

/// <summary>One test per validation rule, on the REST create example: Azure's code, and a message naming the offender.</summary>
public sealed class GatewayRuleTests
{
    private static JsonObject P(JsonObject body) => body["properties"]!.AsObject();

    private static JsonObject Item(JsonObject body, string collection, int index = 0) => P(body)[collection]![index]!["properties"]!.AsObject();

    private static JsonObject Ref(string collection, string name) => new() { ["id"] = $"{RestExample.GatewayId}/{collection}/{name}" };

    private static ArmError Rejected(string code, string named, Action<JsonObject> edit, string apiVersion = RestExample.ApiVersion)
    {
        var input = new ResourceInput(RestExample.GatewayId, NetworkProvider.ApplicationGatewayType, "appgw", apiVersion, RestExample.CreateBody(edit));
        var error = Assert.Throws<ArmException>(() => NetworkProvider.Provision(input, RestExample.Neighbours())).Error;
        Assert.Equal(code, error.Code);
        Assert.Contains(named, error.Message);
        return error;
    }

    private static ProvisionedResource Accepted(Action<JsonObject> edit, string apiVersion = RestExample.ApiVersion) =>
        NetworkProvider.Provision(
            new ResourceInput(RestExample.GatewayId, NetworkProvider.ApplicationGatewayType, "appgw", apiVersion, RestExample.CreateBody(edit)),
            RestExample.Neighbours());

    /// <summary>A path-based rule on the HTTP listener, with a path map, a redirect and a probe to point at.</summary>
    private static void AddPathRouting(JsonObject body)
    {
        var properties = P(body);
        properties["probes"] = JsonNode.Parse("""
            [ { "name": "probe1", "properties": { "protocol": "Http", "host": "127.0.0.1", "path": "/health", "interval": 30, "timeout": 30, "unhealthyThreshold": 3 } } ]
            """);
        Item(body, "backendHttpSettingsCollection")["probe"] = Ref("probes", "probe1");
        properties["redirectConfigurations"] = new JsonArray(new JsonObject
        {
            ["name"] = "toHttps",
            ["properties"] = new JsonObject { ["redirectType"] = "Permanent", ["targetListener"] = Ref("httpListeners", "appgwhl") },
        });
        properties["urlPathMaps"] = new JsonArray(new JsonObject
        {
            ["name"] = "pathMap1",
            ["properties"] = new JsonObject
            {
                ["defaultBackendAddressPool"] = Ref("backendAddressPools", "appgwpool"),
                ["defaultBackendHttpSettings"] = Ref("backendHttpSettingsCollection", "appgwbhs"),
                ["pathRules"] = new JsonArray(new JsonObject
                {
                    ["name"] = "old",
                    ["properties"] = new JsonObject { ["paths"] = new JsonArray("/old/*"), ["redirectConfiguration"] = Ref("redirectConfigurations", "toHttps") },
                }),
            },
        });
        properties["requestRoutingRules"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "pathRule",
            ["properties"] = new JsonObject
            {
                ["ruleType"] = "PathBasedRouting", ["priority"] = 20,
                ["httpListener"] = Ref("httpListeners", "appgwhttplistener"), ["urlPathMap"] = Ref("urlPathMaps", "pathMap1"),
            },
        });
    }

    [Fact]
    public void Path_routing_with_probe_and_redirect_is_accepted_and_read_into_the_typed_view()
    {
        var gateway = NetworkProvider.ReadApplicationGateway(Accepted(AddPathRouting));
        var map = gateway.UrlPathMaps.Single();
        var rule = map.PathRules.Single();
        Assert.Equal(["/old/*"], rule.Paths);
        Assert.Equal(gateway.RedirectConfigurations.Single().Id, rule.RedirectConfigurationId);
        Assert.Equal(301, gateway.RedirectConfigurations.Single().StatusCode);
        Assert.Equal(gateway.Probes.Single().Id, gateway.BackendHttpSettingsCollection.Single().ProbeId);
        Assert.Equal(["200-399"], gateway.Probes.Single().Match.StatusCodes);
        Assert.EndsWith("/urlPathMaps/pathMap1/pathRules/old", rule.Id);
    }

    [Theory]
    [InlineData("httpListeners", 0, "sslCertificate", "sslCertificates")]
    [InlineData("httpListeners", 0, "sslProfile", "sslProfiles")]
    [InlineData("httpListeners", 1, "frontendPort", "frontendPorts")]
    [InlineData("httpListeners", 1, "frontendIPConfiguration", "frontendIPConfigurations")]
    [InlineData("requestRoutingRules", 0, "backendAddressPool", "backendAddressPools")]
    [InlineData("requestRoutingRules", 0, "backendHttpSettings", "backendHttpSettingsCollection")]
    [InlineData("requestRoutingRules", 0, "rewriteRuleSet", "rewriteRuleSets")]
    [InlineData("requestRoutingRules", 0, "httpListener", "httpListeners")]
    [InlineData("backendHttpSettingsCollection", 0, "probe", "probes")]
    [InlineData("urlPathMaps", 0, "defaultBackendAddressPool", "backendAddressPools")]
    [InlineData("redirectConfigurations", 0, "targetListener", "httpListeners")]
    public void A_reference_that_does_not_resolve_names_the_referrer(string collection, int index, string property, string target)
    {
        var error = Rejected("InvalidResourceReference", $"/{target}/missing", body =>
        {
            AddPathRouting(body);
            Item(body, collection, index)[property] = Ref(target, "missing");
        });
        Assert.Contains($"/{collection}/{P(RestExample.CreateBody(AddPathRouting))[collection]![index]!["name"]} ", error.Message);
        Assert.Equal($"properties.{collection}[{index}].properties.{property}", error.Target);
    }

    [Fact]
    public void References_inside_path_rules_and_lists_are_checked_too()
    {
        Rejected("InvalidResourceReference", "/pathRules/old", body =>
        {
            AddPathRouting(body);
            P(body)["urlPathMaps"]![0]!["properties"]!["pathRules"]![0]!["properties"]!["redirectConfiguration"] = Ref("redirectConfigurations", "missing");
        });
        Rejected("InvalidResourceReference", "/sslProfiles/sslProfile1",
            body => Item(body, "sslProfiles")["trustedClientCertificates"] = new JsonArray(Ref("trustedClientCertificates", "missing")));
    }

    [Fact]
    public void A_reference_into_another_gateway_does_not_resolve()
    {
        Rejected("InvalidResourceReference", "/applicationGateways/other/frontendPorts/appgwfp", body =>
            Item(body, "httpListeners")["frontendPort"] = new JsonObject { ["id"] = $"{RestExample.ResourceGroup}/applicationGateways/other/frontendPorts/appgwfp" });
    }

    [Fact]
    public void A_public_ip_that_does_not_exist_is_named()
    {
        Rejected("InvalidResourceReference", "/publicIPAddresses/nope",
            body => Item(body, "frontendIPConfigurations")["publicIPAddress"] = new JsonObject { ["id"] = $"{RestExample.ResourceGroup}/publicIPAddresses/nope" });
    }

    [Fact]
    public void Rule_priorities_are_within_range_and_unique()
    {
        Rejected("ApplicationGatewayRequestRoutingRuleInvalidPriority", "/requestRoutingRules/appgwrule", body => Item(body, "requestRoutingRules")["priority"] = 20001);
        Rejected("ApplicationGatewayRequestRoutingRulePriorityMustBeUnique", "/requestRoutingRules/pathRule", body =>
        {
            AddPathRouting(body);
            Item(body, "requestRoutingRules", 1)["priority"] = 10;
        });
    }

    [Fact]
    public void Before_2021_08_01_priorities_are_all_or_nothing()
    {
        Accepted(body => Item(body, "requestRoutingRules").Remove("priority"), apiVersion: "2020-05-01");
        Rejected("ApplicationGatewayRequestRoutingRulePartialPriorityDefined", "/requestRoutingRules/appgwrule", body =>
        {
            AddPathRouting(body);
            Item(body, "requestRoutingRules").Remove("priority");
        }, apiVersion: "2020-05-01");
    }

    [Fact]
    public void A_path_based_rule_needs_a_path_map_and_a_basic_rule_a_backend_or_redirect()
    {
        Rejected("ApplicationGatewayPathBasedRequestRoutingRuleMustReferenceUrlPathMap", "/requestRoutingRules/pathRule", body =>
        {
            AddPathRouting(body);
            Item(body, "requestRoutingRules", 1).Remove("urlPathMap");
        });
        Rejected("ApplicationGatewayRequestRoutingRuleMustReferenceBackendOrRedirect", "/requestRoutingRules/appgwrule",
            body => Item(body, "requestRoutingRules").Remove("backendHttpSettings"));
    }

    [Fact]
    public void Path_rules_need_paths_starting_with_a_slash_and_one_target()
    {
        Rejected("ApplicationGatewayPathRuleInvalidPath", "/pathRules/old", body =>
        {
            AddPathRouting(body);
            P(body)["urlPathMaps"]![0]!["properties"]!["pathRules"]![0]!["properties"]!["paths"] = new JsonArray("old/*");
        });
        Rejected("ApplicationGatewayPathRuleMustReferenceBackendOrRedirect", "/pathRules/old", body =>
        {
            AddPathRouting(body);
            P(body)["urlPathMaps"]![0]!["properties"]!["pathRules"]![0]!["properties"]!["backendAddressPool"] = Ref("backendAddressPools", "appgwpool");
        });
        Rejected("ApplicationGatewayUrlPathMapMustSpecifyDefaultBackendOrRedirect", "/urlPathMaps/pathMap1", body =>
        {
            AddPathRouting(body);
            P(body)["urlPathMaps"]![0]!["properties"]!.AsObject().Remove("defaultBackendHttpSettings");
        });
    }

    [Fact]
    public void A_redirect_targets_a_listener_or_a_url_not_both()
    {
        Rejected("ApplicationGatewayRedirectConfigurationMustSpecifyTargetListenerOrTargetUrl", "/redirectConfigurations/toHttps", body =>
        {
            AddPathRouting(body);
            Item(body, "redirectConfigurations")["targetUrl"] = "https://example.com";
        });
    }

    [Fact]
    public void A_redirect_cannot_target_a_listener_with_wildcard_host_names()
    {
        Rejected("ApplicationGatewayRedirectTargetListenerCannotHaveWildcardOrMultipleHostNames", "/redirectConfigurations/toHttps", body =>
        {
            AddPathRouting(body);
            Item(body, "httpListeners")["hostNames"] = new JsonArray("*.contoso.com");
        });
    }

    [Fact]
    public void Two_listeners_on_one_frontend_ip_and_port_need_different_host_names()
    {
        Rejected("ApplicationGatewayHttpListenersUsingSameFrontendPortAndFrontendIpConfig", "/httpListeners/appgwhttplistener",
            body => Item(body, "httpListeners", 1)["frontendPort"] = Ref("frontendPorts", "appgwfp"));
        Accepted(body =>
        {
            Item(body, "httpListeners", 1)["frontendPort"] = Ref("frontendPorts", "appgwfp");
            Item(body, "httpListeners", 1)["hostNames"] = new JsonArray("*.contoso.com", "contoso.com");
        });
    }

    [Theory]
    [InlineData("hostName", "*.contoso.com", "ApplicationGatewayHttpListenerHostNameCannotHaveWildcard")]
    [InlineData("hostNames", "a**.contoso.com", "ApplicationGatewayHttpListenerInvalidHostName")]
    [InlineData("hostNames", "*?.contoso.com", "ApplicationGatewayHttpListenerInvalidHostName")]
    [InlineData("hostNames", "*.*.*.contoso.com", "ApplicationGatewayHttpListenerInvalidHostName")]
    [InlineData("hostNames", "a*b*.contoso.com", "ApplicationGatewayHttpListenerInvalidHostName")]
    [InlineData("hostNames", "contoso_1.com", "ApplicationGatewayHttpListenerInvalidHostName")]
    public void Host_names_follow_the_wildcard_rules(string property, string hostName, string code)
    {
        Rejected(code, "/httpListeners/appgwhttplistener", body =>
            Item(body, "httpListeners", 1)[property] = property == "hostName" ? hostName : new JsonArray(hostName));
    }

    [Fact]
    public void Host_name_and_host_names_are_exclusive_and_host_names_are_at_most_five()
    {
        Rejected("ApplicationGatewayHttpListenerHostNameAndHostNamesCannotBeSpecifiedTogether", "/httpListeners/appgwhttplistener", body =>
        {
            Item(body, "httpListeners", 1)["hostName"] = "a.contoso.com";
            Item(body, "httpListeners", 1)["hostNames"] = new JsonArray("b.contoso.com");
        });
        Rejected("ApplicationGatewayHttpListenerTooManyHostNames", "/httpListeners/appgwhttplistener", body =>
            Item(body, "httpListeners", 1)["hostNames"] = new JsonArray(Enumerable.Range(1, 6).Select(i => (JsonNode)$"h{i}.contoso.com").ToArray()));
    }

    [Fact]
    public void V2_capacity_and_autoscale_bounds()
    {
        Rejected("ApplicationGatewayInvalidCapacity", "appgw", body => P(body)["sku"]!["capacity"] = 126);
        Rejected("ApplicationGatewayInvalidAutoscaleConfiguration", "appgw", body =>
        {
            P(body)["sku"]!.AsObject().Remove("capacity");
            P(body)["autoscaleConfiguration"] = new JsonObject { ["minCapacity"] = 5, ["maxCapacity"] = 3 };
        });
        var gateway = NetworkProvider.ReadApplicationGateway(Accepted(body =>
        {
            P(body)["sku"]!.AsObject().Remove("capacity");
            P(body)["autoscaleConfiguration"] = new JsonObject { ["minCapacity"] = 0 };
        }));
        Assert.Equal(new ApplicationGateways.AutoscaleConfiguration(0, 10), gateway.AutoscaleConfiguration);
    }

    [Theory]
    [InlineData("Standard_Small", "Standard"), InlineData("Standard_Medium", "Standard"), InlineData("Standard_Large", "Standard")]
    [InlineData("WAF_Medium", "WAF"), InlineData("WAF_Large", "WAF")]
    public void A_retired_v1_sku_is_refused_alone_naming_the_v2_tiers(string name, string tier)
    {
        // The v1 tier alone (no autoscale, a v2 firewall policy...) would bring other errors: Azure answers with the retirement only.
        var error = Rejected("AppGatewayV1SkuDeprecated", $"SKU tier {tier} has been deprecated", body =>
            P(body)["sku"] = new JsonObject { ["name"] = name, ["tier"] = tier, ["capacity"] = 2 });

        Assert.Equal("properties.sku.tier", error.Target);
        Assert.Null(error.Details);
        Assert.Contains("Supported SKU tiers are Standard_v2,WAF_v2", error.Message);
    }

    [Fact]
    public void A_v1_size_under_a_v2_tier_is_refused_by_its_size()
    {
        var error = Rejected("AppGatewayV1SkuDeprecated", "SKU tier WAF has been deprecated", body => P(body)["sku"]!["name"] = "WAF_Medium");

        Assert.Equal("properties.sku.name", error.Target);
    }

    [Fact]
    public void Authentication_certificates_are_refused_as_v1_naming_trustedRootCertificates()
    {
        var certificate = new JsonObject { ["name"] = "backendCert", ["properties"] = new JsonObject { ["data"] = "MIIB" } };
        var gatewayLevel = Rejected("AppGatewayV1SkuDeprecated", "trustedRootCertificates", body => P(body)["authenticationCertificates"] = new JsonArray(certificate.DeepClone()));
        var settingsLevel = Rejected("AppGatewayV1SkuDeprecated", "trustedRootCertificates", body =>
            Item(body, "backendHttpSettingsCollection")["authenticationCertificates"] = new JsonArray(Ref("authenticationCertificates", "backendCert")));

        Assert.Equal("properties.authenticationCertificates", gatewayLevel.Target);
        Assert.Equal("properties.backendHttpSettingsCollection[0].properties.authenticationCertificates", settingsLevel.Target);
        Accepted(body => P(body)["authenticationCertificates"] = new JsonArray());
    }

    private static void Spread(JsonObject body, JsonArray targets)
    {
        P(body)["loadDistributionPolicies"] = new JsonArray(new JsonObject
        {
            ["name"] = "spread",
            ["properties"] = new JsonObject { ["loadDistributionAlgorithm"] = "leastConnections", ["loadDistributionTargets"] = targets },
        });
        var rule = Item(body, "requestRoutingRules");
        rule.Remove("backendAddressPool");
        rule["loadDistributionPolicy"] = Ref("loadDistributionPolicies", "spread");
    }

    private static JsonArray Target(int weight) =>
        [new JsonObject { ["name"] = "t", ["properties"] = new JsonObject { ["weightPerServer"] = weight, ["backendAddressPool"] = Ref("backendAddressPools", "appgwpool") } }];

    [Fact]
    public void A_load_distribution_policy_takes_the_place_of_a_rules_pool_with_weights_from_1_to_100()
    {
        var gateway = NetworkProvider.ReadApplicationGateway(Accepted(body => Spread(body, Target(5))));

        var policy = Assert.Single(gateway.LoadDistributionPolicies);
        Assert.Equal((ApplicationGateways.LoadDistributionAlgorithm.LeastConnections, 5), (policy.Algorithm, policy.Targets.Single().WeightPerServer));
        Assert.Equal(policy.Id, gateway.RequestRoutingRules[0].LoadDistributionPolicyId);
        var weight = Rejected("ApplicationGatewayLoadDistributionTargetInvalidWeightPerServer", "101", body => Spread(body, Target(101)));
        Assert.Equal("properties.loadDistributionPolicies[0].properties.loadDistributionTargets[0].properties.weightPerServer", weight.Target);
        Rejected("ApplicationGatewayLoadDistributionPolicyMustHaveTargets", "spread", body => Spread(body, []));
    }

    [Fact]
    public void Collections_are_limited_as_azure_limits_them()
    {
        // The listeners' ports are gone with the replaced collection: those references are reported beside the limit.
        var input = new ResourceInput(RestExample.GatewayId, NetworkProvider.ApplicationGatewayType, "appgw", RestExample.ApiVersion, RestExample.CreateBody(body =>
            P(body)["frontendPorts"] = new JsonArray(Enumerable.Range(1, 101)
                .Select(i => (JsonNode)new JsonObject { ["name"] = $"p{i}", ["properties"] = new JsonObject { ["port"] = 1000 + i } }).ToArray())));
        var error = Assert.Throws<ArmException>(() => NetworkProvider.Provision(input, RestExample.Neighbours())).Error;
        var limit = Assert.Single(error.Details!, d => d.Code == "ApplicationGatewayLimitExceeded");
        Assert.Contains("101 frontendPorts", limit.Message);
        Assert.Equal("properties.frontendPorts", limit.Target);
    }

    [Fact]
    public void Rewrite_sets_are_limited_to_forty_header_configurations()
    {
        Rejected("ApplicationGatewayLimitExceeded", "/rewriteRuleSets/rewriteRuleSet1", body =>
            Item(body, "rewriteRuleSets")["rewriteRules"]![0]!["actionSet"]!["requestHeaderConfigurations"] = new JsonArray(Enumerable.Range(1, 41)
                .Select(i => (JsonNode)new JsonObject { ["headerName"] = $"X-H{i}", ["headerValue"] = "v" }).ToArray()));
    }

    [Theory]
    [InlineData("pattern", "([unclosed", "ApplicationGatewayRewriteRuleConditionPatternInvalid")]
    [InlineData("variable", "Authorization", "ApplicationGatewayRewriteRuleConditionVariableInvalid")]
    public void A_rewrite_condition_the_data_plane_cannot_evaluate_is_refused_with_its_path(string property, string value, string code)
    {
        var error = Rejected(code, "'Set X-Forwarded-For'", body => Item(body, "rewriteRuleSets")["rewriteRules"]![0]!["conditions"]![0]![property] = value);
        Assert.Equal($"properties.rewriteRuleSets[0].properties.rewriteRules[0].conditions[0].{property}", error.Target);
    }

    [Theory]
    [InlineData("requestHeaderConfigurations[0].headerValue", "{var_client_certificate_pem}")]
    [InlineData("responseHeaderConfigurations[0].headerValue", "id={var_request_id}")]
    [InlineData("urlConfiguration.modifiedPath", "/v2{var_path}")]
    public void A_rewrite_value_reading_an_undocumented_server_variable_is_refused_with_its_path(string property, string value)
    {
        var error = Rejected("ApplicationGatewayRewriteRuleSetServerVariableNotSupported", "is not supported", body =>
        {
            var actions = Item(body, "rewriteRuleSets")["rewriteRules"]![0]!["actionSet"]!.AsObject();
            actions["requestHeaderConfigurations"] = new JsonArray(new JsonObject { ["headerName"] = "X-A", ["headerValue"] = "a" });
            actions["responseHeaderConfigurations"] = new JsonArray(new JsonObject { ["headerName"] = "X-B", ["headerValue"] = "b" });
            var owner = property.StartsWith("url", StringComparison.Ordinal) ? actions["urlConfiguration"]! : actions[property.Split('[')[0]]![0]!;
            owner[property.Split('.')[^1]] = value;
        });
        Assert.Equal($"properties.rewriteRuleSets[0].properties.rewriteRules[0].actionSet.{property}", error.Target);
    }

    [Fact]
    public void A_rewrite_value_may_read_cookies_captures_and_headers_as_well_as_documented_variables()
    {
        Accepted(body => Item(body, "rewriteRuleSets")["rewriteRules"]![0]!["actionSet"]!["requestHeaderConfigurations"] = new JsonArray(
            new JsonObject { ["headerName"] = "X-A", ["headerValue"] = "{var_cookie_session}/{http_req_Authorization_1}/{http_req_Host}/{var_client_ip}/{not a variable}" }));
    }

    [Fact]
    public void Reroute_is_not_allowed_on_a_basic_rule()
    {
        Rejected("ApplicationGatewayRewriteRuleSetRerouteNotAllowedOnBasicRule", "/requestRoutingRules/appgwrule",
            body => Item(body, "rewriteRuleSets")["rewriteRules"]![0]!["actionSet"]!["urlConfiguration"]!["reroute"] = true);
    }

    [Theory]
    [InlineData("interval", 0)]
    [InlineData("timeout", 86401)]
    [InlineData("unhealthyThreshold", 21)]
    [InlineData("port", 65536)]
    public void Probe_values_are_within_azures_ranges(string property, int value)
    {
        Rejected("ApplicationGatewayPropertyValueOutOfRange", "/probes/probe1", body =>
        {
            AddPathRouting(body);
            Item(body, "probes")[property] = value;
        });
    }

    [Fact]
    public void A_probe_path_starts_with_a_slash_and_a_probe_names_its_host_one_way()
    {
        Rejected("ApplicationGatewayProbePathMustStartWithSlash", "/probes/probe1", body =>
        {
            AddPathRouting(body);
            Item(body, "probes")["path"] = "health";
        });
        Rejected("ApplicationGatewayProbeMustSpecifyHostOrPickHostNameFromBackendHttpSettings", "/probes/probe1", body =>
        {
            AddPathRouting(body);
            Item(body, "probes")["pickHostNameFromBackendHttpSettings"] = true;
        });
    }

    [Fact]
    public void Backend_settings_values_are_within_azures_ranges()
    {
        Rejected("ApplicationGatewayPropertyValueOutOfRange", "/backendHttpSettingsCollection/appgwbhs",
            body => Item(body, "backendHttpSettingsCollection")["connectionDraining"] = new JsonObject { ["enabled"] = true, ["drainTimeoutInSec"] = 3601 });
        Rejected("ApplicationGatewayPropertyValueOutOfRange", "/backendHttpSettingsCollection/appgwbhs",
            body => Item(body, "backendHttpSettingsCollection")["port"] = 0);
    }

    [Fact]
    public void Tls_1_0_and_1_1_are_retired()
    {
        Rejected("ApplicationGatewayDeprecatedTlsVersionUsedInSslPolicy", "/sslProfiles/sslProfile1",
            body => Item(body, "sslProfiles")["sslPolicy"]!["minProtocolVersion"] = "TLSv1_1");
        Rejected("ApplicationGatewayDeprecatedTlsVersionUsedInSslPolicy", "AppGwSslPolicy20170401",
            body => Item(body, "sslProfiles")["sslPolicy"] = new JsonObject { ["policyType"] = "Predefined", ["policyName"] = "AppGwSslPolicy20170401" });
    }

    [Fact]
    public void Predefined_and_custom_policies_take_only_their_own_parameters()
    {
        Rejected("ApplicationGatewaySslPolicyPredefinedPolicyDoesNotAllowCustomParameters", "/sslProfiles/sslProfile1",
            body => Item(body, "sslProfiles")["sslPolicy"] = JsonNode.Parse("""
                { "policyType": "Predefined", "policyName": "AppGwSslPolicy20220101", "cipherSuites": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"] }
                """));
        Rejected("ApplicationGatewaySslPolicyCustomPolicyDoesNotAllowPolicyName", "/sslProfiles/sslProfile1",
            body => Item(body, "sslProfiles")["sslPolicy"]!["policyName"] = "AppGwSslPolicy20220101");
    }

    [Theory]
    [InlineData("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA257")]
    [InlineData("TLS_AES_128_GCM_SHA256")]
    public void A_custom_policy_lists_only_suites_it_can_offer(string suite)
    {
        var error = Rejected("ApplicationGatewaySslPolicyCipherSuiteNotSupported", "/sslProfiles/sslProfile1",
            body => Item(body, "sslProfiles")["sslPolicy"]!["cipherSuites"] = new JsonArray(suite));
        Assert.Contains($"'{suite}'", error.Message);
    }

    [Fact]
    public void Policies_of_2022_do_not_mix_with_older_ones()
    {
        Rejected("ApplicationGatewaySslPolicy2022CannotBeMixedWithOlderPolicies", "/sslProfiles/sslProfile1",
            body => P(body)["sslPolicy"] = new JsonObject { ["policyType"] = "Predefined", ["policyName"] = "AppGwSslPolicy20220101" });
    }

    private static void TrustedClientData(JsonObject body, string data) => Item(body, "trustedClientCertificates")["data"] = data;

    [Fact]
    public void Trusted_client_ca_uploads_follow_azures_rules()
    {
        const string named = "/trustedClientCertificates/clientcert";
        Rejected("ApplicationGatewayTrustedClientCertificateMustSpecifyData", named, body => TrustedClientData(body, ""));
        Rejected("ApplicationGatewayTrustedClientCertificateInvalidData", named, body => TrustedClientData(body, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"));
        Rejected("ApplicationGatewayTrustedClientCertificateInvalidData", named, body => TrustedClientData(body, "not a certificate"));

        using var root = TestCertificates.Root("CN=Root A");
        using var otherRoot = TestCertificates.Root("CN=Root B");
        using var leaf = TestCertificates.Issue("CN=client", root, authority: false);
        Rejected("ApplicationGatewayTrustedClientCertificateDoesNotContainAnyCACertificate", named, body => TrustedClientData(body, TestCertificates.Pem(leaf)));
        Rejected("ApplicationGatewayOnlyOneRootCAAllowedInTrustedClientCertificate", named, body => TrustedClientData(body, TestCertificates.Pem(root, otherRoot)));
        using var key = root.GetECDsaPrivateKey()!;
        Rejected("ApplicationGatewayTrustedClientCertificateMustNotHavePrivateKey", named, body => TrustedClientData(body, TestCertificates.Pem(root) + key.ExportPkcs8PrivateKeyPem()));
    }

    [Fact]
    public void The_issuer_dn_is_the_ca_closest_to_the_leaf_in_dotnet_x500_style()
    {
        using var root = TestCertificates.Root("CN=Root, O=Contoso, C=US");
        using var intermediate = TestCertificates.Issue("CN=Issuing CA, OU=Eng, O=Contoso, S=Arizona, C=US", root, authority: true);
        using var leaf = TestCertificates.Issue("CN=client", intermediate, authority: false);
        var pem = Accepted(body => TrustedClientData(body, TestCertificates.Pem(root, intermediate, leaf)));
        var rendered = NetworkProvider.Render(pem, RestExample.ApiVersion)["properties"]!["trustedClientCertificates"]![0]!["properties"]!;
        Assert.Equal("CN=Issuing CA, OU=Eng, O=Contoso, S=Arizona, C=US", (string?)rendered["clientCertIssuerDN"]);

        var der = Accepted(body => TrustedClientData(body, Convert.ToBase64String(root.RawData)));
        Assert.Equal("CN=Root, O=Contoso, C=US", NetworkProvider.ReadApplicationGateway(der).TrustedClientCertificates.Single().ClientCertIssuerDN);
    }

    [Fact]
    public void A_listener_certificate_from_key_vault_needs_a_secret_id_and_the_gateways_user_assigned_identity()
    {
        const string secretId = "https://vault1.vault.azure.net/secrets/listener";
        static void FromKeyVault(JsonObject body, string secretId) => P(body)["sslCertificates"]![0]!["properties"] = new JsonObject { ["keyVaultSecretId"] = secretId };

        Rejected("ApplicationGatewayKeyVaultSecretIdInvalid", "https://kv/secret", body => FromKeyVault(body, "https://kv/secret"));
        var withoutIdentity = Rejected("MultipleErrorsOccurred", "ApplicationGatewayKeyVaultSecretRequiresUserAssignedIdentity", body =>
        {
            body.Remove("identity");
            FromKeyVault(body, secretId);
        });
        Assert.Equal(["sslcert", "sslcert2", "rootcert1"], withoutIdentity.Details!.Select(e => ResourceIds.LastSegment(e.Message.Split(' ')[0])));
        var gateway = NetworkProvider.ReadApplicationGateway(Accepted(body => FromKeyVault(body, secretId)));
        Assert.Equal(secretId, gateway.SslCertificates[0].KeyVaultSecretId);
        Assert.EndsWith("/userAssignedIdentities/identity1", gateway.UserAssignedIdentityId);
    }
}
