using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Network.Tests;

/// <summary>
/// Every property of applicationGateways in the 2025-03-01 specification is accounted for: enforced (with the tests that
/// show its effect), refused at deployment with an error naming it, computed by the server, or pure metadata in Azure
/// too. The walk fails on any property the table does not place, so a new api-version cannot
/// bring a property that deploys Succeeded and does nothing.
/// </summary>
public sealed partial class SpecificationCoverageTests
{
    private abstract record Coverage;

    /// <summary>Served, as the named tests show.</summary>
    private sealed record Enforced(params string[] Tests) : Coverage;

    /// <summary>Refused with an error naming it: by a <see cref="LocalSupport"/> rule at the same path, or by the named test's error.</summary>
    private sealed record Refused(string? Test = null) : Coverage;

    /// <summary>Read-only: the server fills it in.</summary>
    private sealed record Computed(string Why) : Coverage;

    /// <summary>Changes nothing in traffic in Azure either (placement, sizing, labels).</summary>
    private sealed record Metadata(string Why) : Coverage;

    private static readonly Coverage Layer4 = new Enforced(
        "A_tcp_listener_relays_a_connection_to_its_pool_and_the_connection_survives_a_redeploy",
        "A_tls_listener_with_strict_mutual_tls_relays_a_verified_client_to_a_tls_backend_and_logs_the_connection",
        "A_tls_listener_with_strict_mutual_tls_closes_a_connection_without_a_trusted_certificate_before_any_backend");

    private static readonly Coverage BackRef = new Computed("a back-reference the server derives from the referrers");
    private static readonly Coverage Waf = new Enforced(
        "In_Prevention_an_attack_gets_403_and_nothing_reaches_the_backend",
        "In_Detection_an_attack_is_served_and_logged_under_the_access_logs_transaction_id",
        "A_path_rules_own_policy_wins_over_the_gateways",
        "The_CRS_regression_tests_give_the_references_outcome_wherever_its_engine_decided");

    private static readonly Coverage LoadDistribution = new Enforced(
        "Weighted_round_robin_gives_each_member_its_weight_in_turns",
        "Least_connections_sends_new_requests_to_the_idle_member_while_the_other_serves_a_slow_one",
        "Ip_hash_keeps_a_client_on_one_member_and_moves_it_only_when_that_member_is_down",
        "A_path_rule_and_a_path_maps_default_spread_over_their_load_distribution_policies");

    private static readonly Coverage EntraJwt = new Enforced(
        "A_valid_token_from_the_issuer_reaches_the_backend_with_the_callers_tenant_and_object_id",
        "A_request_without_a_valid_token_is_answered_401_with_a_bearer_challenge",
        "A_request_without_a_valid_token_is_forwarded_without_identity");

    /// <summary>By path prefix from the resource's root; the longest prefix that a property falls under places it.</summary>
    private static readonly Dictionary<string, Coverage> Table = new()
    {
        ["zones"] = new Metadata("availability zones place Azure's instances; one local process serves"),
        ["identity"] = new Enforced("A_key_vault_listener_certificate_is_served_rotated_and_disabled_as_the_vault_allows"),
        ["properties.resourceGuid"] = new Computed("assigned once and kept across redeploys"),
        ["properties.defaultPredefinedSslPolicy"] = new Computed("the policy used when none is given"),
        ["properties.operationalState"] = new Enforced("Az_stop_and_start_end_and_resume_serving_as_operationalState_shows",
            "A_stopped_gateway_stays_stopped_through_a_redeploy_and_runs_again_once_started"),
        ["properties.sku"] = new Metadata("the SKU sizes Azure's instances; validated (V2_capacity_and_autoscale_bounds, A_retired_v1_sku_is_refused_alone_naming_the_v2_tiers), one local process serves"),
        ["properties.autoscaleConfiguration"] = new Metadata("instance counts; validated (V2_capacity_and_autoscale_bounds), one local process serves"),
        ["properties.sslPolicy"] = new Enforced("A_predefined_policy_speaks_exactly_its_protocol_versions", "Custom_takes_only_its_suites_and_no_TLS_1_3",
            "No_policy_means_AppGwSslPolicy20220101"),
        ["properties.gatewayIPConfigurations"] = new Metadata("the subnet Azure places instances in; checked to exist (A_gateway_whose_subnet_does_not_exist_is_rejected)"),
        ["properties.authenticationCertificates"] = new Refused("Authentication_certificates_are_refused_as_v1_naming_trustedRootCertificates"),
        ["properties.trustedRootCertificates"] = new Enforced("An_Https_backend_is_trusted_through_trustedRootCertificates_and_its_name"),
        ["properties.trustedRootCertificates[].properties.keyVaultSecretId"] = new Enforced("A_trusted_root_from_key_vault_is_read_through_the_gateways_identity_not_taken_for_pem_data",
            "A_secret_is_read_through_an_access_policy_granting_get_and_refused_with_azures_code_otherwise"),
        ["properties.trustedClientCertificates"] = new Enforced("With_the_check_on_only_certificates_the_extracted_CA_issued_pass",
            "Trusted_client_ca_uploads_follow_azures_rules"),
        ["properties.trustedClientCertificates[].properties.validatedCertData"] = new Computed("the CA certificates extracted from the upload"),
        ["properties.trustedClientCertificates[].properties.clientCertIssuerDN"] = new Computed("the issuer name extracted from the upload"),
        ["properties.sslCertificates"] = new Enforced("SNI_picks_the_certificate_and_the_basic_listener_takes_the_rest",
            "A_wrong_certificate_password_is_named_without_revealing_it"),
        ["properties.sslCertificates[].properties.publicCertData"] = new Computed("the public chain of the uploaded PFX"),
        ["properties.sslCertificates[].properties.keyVaultSecretId"] = new Enforced("A_key_vault_listener_certificate_is_served_rotated_and_disabled_as_the_vault_allows",
            "A_listener_certificate_from_key_vault_needs_a_secret_id_and_the_gateways_user_assigned_identity"),
        ["properties.frontendIPConfigurations"] = new Metadata("Azure's addresses; locally every frontend binds serve's address"),
        ["properties.frontendIPConfigurations[].properties.privateLinkConfiguration"] = new Refused(),
        ["properties.frontendPorts"] = new Enforced("Http_and_Https_listeners_cannot_share_a_local_port",
            "A_tcp_listener_relays_a_connection_to_its_pool_and_the_connection_survives_a_redeploy"),
        ["properties.probes"] = new Enforced("A_probe_that_gets_the_wrong_status_or_body_reports_Azures_message_and_recovers",
            "A_tcp_probe_takes_a_member_that_refuses_connections_out_and_every_connection_goes_to_the_other"),
        ["properties.probes[].properties.minServers"] = new Refused(),
        ["properties.probes[].properties.enableProbeProxyProtocolHeader"] = new Refused(),
        ["properties.probes[].properties.pickHostNameFromBackendSettings"] = new Refused(),
        ["properties.backendAddressPools"] = new Enforced("Requests_take_the_members_in_turn",
            "A_killed_member_is_marked_down_traffic_moves_away_502_when_none_is_left_and_back_when_it_returns"),
        // An fqdn member is resolved through DNS on its TTL, keeping the last good answer (appgw-behaviour §5.7).
        ["properties.backendAddressPools[].properties.backendAddresses"] = new Enforced("Requests_take_the_members_in_turn",
            "Traffic_follows_a_changed_DNS_answer_once_its_TTL_has_passed_without_a_redeploy",
            "A_DNS_server_that_stops_answering_leaves_the_last_address_serving",
            "A_name_with_several_addresses_spreads_the_requests_over_them"),
        ["properties.backendAddressPools[].properties.backendIPConfigurations"] = new Computed("set by the network interfaces that join the pool"),
        ["properties.backendHttpSettingsCollection"] = new Enforced("The_settings_path_replaces_a_path_rules_matched_prefix_and_prefixes_any_other_path",
            "Affinity_cookies_bind_a_client_to_its_member", "A_member_removed_by_a_redeploy_keeps_its_affinity_sessions_while_it_drains",
            "A_timeout_is_retried_once_on_another_member_then_answered_with_504", "An_sniName_is_the_name_sent_and_checked_while_the_Host_stays"),
        ["properties.backendHttpSettingsCollection[].properties.authenticationCertificates"] = new Refused("Authentication_certificates_are_refused_as_v1_naming_trustedRootCertificates"),
        ["properties.backendHttpSettingsCollection[].properties.dedicatedBackendConnection"] = new Refused(),
        ["properties.backendHttpSettingsCollection[].properties.probeEnabled"] = new Metadata("deprecated: Azure ignores it too, a probe applies when one is named"),
        ["properties.backendSettingsCollection"] = new Enforced("An_idle_connection_is_closed_after_the_backend_settings_timeout",
            "A_tls_listener_with_strict_mutual_tls_relays_a_verified_client_to_a_tls_backend_and_logs_the_connection",
            "A_tcp_probe_takes_a_member_that_refuses_connections_out_and_every_connection_goes_to_the_other"),
        ["properties.backendSettingsCollection[].properties.enableL4ClientIpPreservation"] = new Refused(),
        ["properties.httpListeners"] = new Enforced("SNI_picks_the_certificate_and_the_basic_listener_takes_the_rest",
            "A_listener_that_requires_SNI_is_not_reached_by_Host_alone", "A_listeners_page_for_502_wins_over_the_gateways",
            "A_wildcard_host_routes_requests_of_several_labels"),
        ["properties.httpListeners[].properties.firewallPolicy"] = Waf,
        ["properties.listeners"] = Layer4,
        ["properties.sslProfiles"] = new Enforced("The_ssl_profile_policy_wins_over_the_gateway_policy", "Curl_with_a_trusted_certificate_succeeds_and_without_one_gets_400",
            "A_revoked_certificate_gets_400_The_SSL_certificate_error", "The_issuer_DN_matches_as_an_X500_name_not_as_bytes"),
        ["properties.urlPathMaps"] = new Enforced("The_first_listed_path_rule_that_matches_the_path_wins_else_the_default",
            "A_path_rule_can_redirect_while_the_others_forward"),
        ["properties.urlPathMaps[].properties.defaultLoadDistributionPolicy"] = LoadDistribution,
        ["properties.urlPathMaps[].properties.pathRules[].properties.loadDistributionPolicy"] = LoadDistribution,
        ["properties.urlPathMaps[].properties.pathRules[].properties.firewallPolicy"] = Waf,
        ["properties.requestRoutingRules"] = new Enforced("Listeners_are_tried_in_rule_priority_order_whatever_kind_of_host_name_they_take"),
        ["properties.requestRoutingRules[].properties.loadDistributionPolicy"] = LoadDistribution,
        ["properties.requestRoutingRules[].properties.entraJWTValidationConfig"] = EntraJwt,
        ["properties.routingRules"] = Layer4,
        ["properties.rewriteRuleSets"] = new Enforced("Conditions_capture_for_later_values_and_response_rewrites_delete_headers",
            "Captures_of_a_condition_build_the_new_path_and_query_string", "Reroute_picks_the_path_rule_of_the_rewritten_path"),
        ["properties.rewriteRuleSets[].properties.rewriteRules[].actionSet.requestHeaderConfigurations[].headerValueMatcher"] = new Refused(),
        ["properties.rewriteRuleSets[].properties.rewriteRules[].actionSet.responseHeaderConfigurations[].headerValueMatcher"] = new Refused(),
        ["properties.redirectConfigurations"] = new Enforced("A_redirect_to_a_listener_takes_its_scheme_host_and_port",
            "A_redirect_to_a_URL_carries_the_query_string_but_never_the_path", "A_listener_redirect_includes_the_path_and_query_only_when_asked"),
        ["properties.redirectConfigurations[].properties.requestRoutingRules"] = BackRef,
        ["properties.redirectConfigurations[].properties.urlPathMaps"] = BackRef,
        ["properties.redirectConfigurations[].properties.pathRules"] = BackRef,
        ["properties.webApplicationFirewallConfiguration"] = Waf,
        ["properties.firewallPolicy"] = Waf,
        ["properties.forceFirewallPolicyAssociation"] = new Metadata("how Azure migrates a legacy WAF configuration to a policy; the policy the gateway names is what runs"),
        ["properties.entraJWTValidationConfigs"] = EntraJwt,
        ["properties.enableHttp2"] = new Enforced("Every_request_of_a_Passthrough_connection_whose_Host_is_Strict_gets_421"),
        ["properties.enableFips"] = new Refused(),
        ["properties.privateLinkConfigurations"] = new Refused(),
        ["properties.privateEndpointConnections"] = new Refused(),
        ["properties.customErrorConfigurations"] = new Enforced("A_listeners_page_for_502_wins_over_the_gateways", "A_dead_backend_gets_Azures_502_page"),
        ["properties.loadDistributionPolicies"] = LoadDistribution,
        ["properties.globalConfiguration"] = new Refused(),
    };

    /// <summary>What every sub-resource (and the resource) carries: the server fills these in, or they name the item.</summary>
    private static readonly string[] EnvelopeLeaves = ["provisioningState", "etag", "type", "id", "name"];

    [Fact]
    public void Every_property_of_the_specification_is_enforced_refused_computed_or_metadata()
    {
        var unplaced = SpecificationPaths().Where(path => Place(path) is null).ToList();

        Assert.True(unplaced.Count == 0, "Neither enforced nor refused nor listed:\n" + string.Join("\n", unplaced));
    }

    [Fact]
    public void Every_entry_of_the_table_is_a_property_of_the_specification()
    {
        var paths = SpecificationPaths();
        var unknown = Table.Keys.Where(key => !paths.Any(path => Under(path, key))).ToList();

        Assert.True(unknown.Count == 0, "Not in the specification: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_test_named_as_evidence_exists()
    {
        var tests = TestNames();

        Assert.Empty(Table.Values.OfType<Enforced>().SelectMany(e => e.Tests).Concat(Table.Values.OfType<Refused>().Select(r => r.Test).OfType<string>())
            .Where(name => !tests.Contains(name)).Distinct());
    }

    [Fact]
    public void Every_refused_property_has_a_rule_and_every_rule_is_listed_as_refused()
    {
        var rules = LocalSupport.Rules.Select(r => r.Path).ToHashSet();
        var refused = Table.Where(e => e.Value is Refused { Test: null }).Select(e => e.Key).ToHashSet();

        Assert.Equal(rules.Order(), refused.Order());
    }

    public static TheoryData<string> RulePaths => new(LocalSupport.Rules.Select(r => r.Path));

    [Theory]
    [MemberData(nameof(RulePaths))]
    public void A_refused_property_is_refused_with_an_error_naming_it_and_its_path(string path)
    {
        var rule = LocalSupport.Rules.Single(r => r.Path == path);
        var errors = new ArmErrorList();

        LocalSupport.Refuse("/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/applicationGateways/a", Build(path, rule.Sample), errors);

        var error = Assert.Single(ArmErrors.Problems(Assert.Throws<ArmException>(() => errors.ThrowIfAny(p => ArmErrors.MultipleErrors("test", p))).Error));
        var property = path[(path.LastIndexOf('.') + 1)..];
        Assert.Equal("ApplicationGatewayPropertyNotSupportedLocally", error.Code);
        Assert.Equal(path.Replace("[]", "[0]", StringComparison.Ordinal), error.Target);
        Assert.Contains($"The {property} of", error.Message);
        Assert.Contains("cannot run locally", error.Message);
    }

    private static Coverage? Place(string path)
    {
        if (EnvelopeLeaves.Contains(path[(path.LastIndexOf('.') + 1)..])) return new Computed("envelope");
        return Table.Where(e => Under(path, e.Key)).OrderByDescending(e => e.Key.Length).Select(e => e.Value).FirstOrDefault();
    }

    private static bool Under(string path, string prefix) =>
        path == prefix || path.StartsWith(prefix + ".", StringComparison.Ordinal) || path.StartsWith(prefix + "[]", StringComparison.Ordinal);

    /// <summary>A body with <paramref name="value"/> at <paramref name="path"/>, each <c>[]</c> one element.</summary>
    private static JsonObject Build(string path, JsonNode value)
    {
        var root = new JsonObject();
        JsonObject current = root;
        var segments = path.Split('.');
        for (var i = 0; i < segments.Length; i++)
        {
            var each = segments[i].EndsWith("[]", StringComparison.Ordinal);
            var name = each ? segments[i][..^2] : segments[i];
            var last = i == segments.Length - 1;
            if (last && !each)
            {
                current[name] = value.DeepClone();
                break;
            }
            var next = new JsonObject();
            current[name] = each ? new JsonArray(last ? value.DeepClone() : next) : next;
            current = next;
        }
        return root;
    }

    /// <summary>The leaf paths of ApplicationGateway: objects opened, arrays as <c>[]</c>, references outside the two stored files as leaves.</summary>
    private static List<string> SpecificationPaths()
    {
        var folder = ReferenceDeployment.SharedPath("reference", "rest-api-2025-03-01");
        var files = Directory.GetFiles(folder, "*.json").ToDictionary(f => Path.GetFileName(f), f => JsonNode.Parse(File.ReadAllText(f))!, StringComparer.Ordinal);
        var paths = new List<string>();

        void Walk(JsonNode node, string file, string path, HashSet<string> seen)
        {
            if (node["$ref"]?.GetValue<string>() is { } reference)
            {
                var (target, name) = reference.Split('#') is [var f, var pointer] ? (f.Length == 0 ? file : Path.GetFileName(f), pointer) : (file, reference);
                if (!seen.Add(target + name) || !files.TryGetValue(target, out var document))
                {
                    if (path.Length > 0) paths.Add(path);
                    return;
                }
                var resolved = name.Trim('/').Split('/').Aggregate((JsonNode?)document, (n, part) => n?[part]);
                if (resolved is not null) Walk(resolved, target, path, seen);
                else if (path.Length > 0) paths.Add(path);
                return;
            }
            foreach (var part in node["allOf"]?.AsArray() ?? []) Walk(part!, file, path, [.. seen]);
            if (node["items"] is { } items)
            {
                Walk(items, file, path + "[]", [.. seen]);
                return;
            }
            if (node["properties"] is not JsonObject properties)
            {
                if (path.Length > 0 && node["allOf"] is null) paths.Add(path);
                return;
            }
            foreach (var (name, property) in properties)
                Walk(property!, file, path.Length == 0 ? name : $"{path}.{name}", [.. seen]);
        }

        Walk(files["applicationGateway.json"]["definitions"]!["ApplicationGateway"]!, "applicationGateway.json", "", []);
        return [.. paths.Distinct()];
    }

    /// <summary>The names of every test method in the repository's test projects.</summary>
    private static HashSet<string> TestNames()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "Gatehouse.slnx"))) repository = repository.Parent!;
        var tests = Path.Combine(repository.FullName, "tests");
        return
        [
            .. Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .SelectMany(f => TestMethod().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)),
        ];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:Task|void) (\w+)\(")]
    private static partial System.Text.RegularExpressions.Regex TestMethod();
}
