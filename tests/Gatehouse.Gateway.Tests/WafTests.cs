using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Gateway.Observability;
using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Gateway.Waf;
using Gatehouse.Network;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

namespace Gatehouse.Gateway.Tests;

/// <summary>
/// The WAF_v2 firewall as a client and the backend see it: a policy deployed as a template writes it, run by
/// ModSecurity with the OWASP Core Rule Set, in front of the echo backend over real TLS.
/// </summary>
public sealed class WafTests : IDisposable
{
    private const string PolicyId =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mtls/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/wafPolicy";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gatehouse-waf-");

    private string AccessLogFile => Path.Combine(_directory.FullName, "access.log");

    private string FirewallLogFile => Path.Combine(_directory.FullName, "firewall.log");

    private const string SqlInjection = "/items?id=1%27%20OR%20%271%27%3D%271";

    public static TheoryData<string> Attacks => new()
    {
        SqlInjection,
        "/search?q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E",
        "/files?name=..%2F..%2F..%2Fetc%2Fpasswd",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task In_Prevention_an_attack_gets_403_and_nothing_reaches_the_backend(string attack)
    {
        await using var gateway = await StartAsync(Policy("Prevention"));
        using var client = gateway.Client();

        using var response = await client.GetAsync(attack);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("403 Forbidden", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, gateway.Backend.Requests);
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task In_Detection_an_attack_is_served_and_logged_under_the_access_logs_transaction_id(string attack)
    {
        await using (var gateway = await StartAsync(Policy("Detection")))
        {
            using var client = gateway.Client();
            using var response = await client.GetAsync(attack);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, gateway.Backend.Requests);
        }

        var transactionId = (string?)Assert.Single(ReadLog(AccessLogFile))["properties"]!["transactionId"];
        var events = ReadLog(FirewallLogFile);
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(transactionId, (string?)e["properties"]!["transactionId"]));
        var decision = Assert.Single(events, e => (string?)e["properties"]!["ruleId"] == "949110")["properties"]!;
        Assert.Equal(("Detected", "OWASP_CRS", "3.2", PolicyId, "Global"),
            ((string?)decision["action"], (string?)decision["ruleSetType"], (string?)decision["ruleSetVersion"], (string?)decision["policyId"], (string?)decision["policyScope"]));
        Assert.Contains(events, e => (string?)e["properties"]!["action"] == "Matched" && ((string?)e["properties"]!["message"])!.Length > 0);
    }

    [Fact]
    public async Task A_benign_request_passes_a_Prevention_policy_without_a_firewall_log_entry()
    {
        await using (var gateway = await StartAsync(Policy("Prevention")))
        {
            using var client = gateway.Client();
            using var response = await client.PostAsync("/form?page=2", new FormUrlEncodedContent([new("name", "Ada Lovelace"), new("city", "London")]));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, gateway.Backend.Requests);
        }
        Assert.False(File.Exists(FirewallLogFile) && ReadLog(FirewallLogFile).Count > 0);
    }

    [Fact]
    public async Task A_SQL_injection_in_a_form_body_is_blocked()
    {
        await using var gateway = await StartAsync(Policy("Prevention"));
        using var client = gateway.Client();

        using var response = await client.PostAsync("/login", new FormUrlEncodedContent([new("user", "admin' OR '1'='1' --")]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, gateway.Backend.Requests);
    }

    [Fact]
    public async Task Disabling_the_rules_that_fire_with_a_ruleGroupOverride_lets_the_request_through()
    {
        var overrides = """
            [{ "ruleGroupName": "REQUEST-942-APPLICATION-ATTACK-SQLI", "rules": [
                { "ruleId": "942100", "state": "Disabled" }, { "ruleId": "942130" }, { "ruleId": "942180" }, { "ruleId": "942200" },
                { "ruleId": "942260" }, { "ruleId": "942300" }, { "ruleId": "942330" }, { "ruleId": "942340" }, { "ruleId": "942370" } ] }]
            """;
        await using var gateway = await StartAsync(Policy("Prevention", ruleGroupOverrides: overrides));
        using var client = gateway.Client();

        using var response = await client.GetAsync(SqlInjection);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The rules of the SQL injection group that match <see cref="SqlInjection"/>, each with <paramref name="action"/>.</summary>
    private static string SqlInjectionRulesWith(string action) => $$"""
        [{ "ruleGroupName": "REQUEST-942-APPLICATION-ATTACK-SQLI", "rules": [{{string.Join(", ",
            new[] { 942100, 942130, 942180, 942200, 942260, 942300, 942330, 942340, 942370 }.Select(id => $$"""{ "ruleId": "{{id}}", "state": "Enabled", "action": "{{action}}" }"""))}}] }]
        """;

    [Fact]
    public async Task A_rule_overridden_to_Log_is_logged_as_matched_but_no_longer_blocks()
    {
        await using (var gateway = await StartAsync(Policy("Prevention", ruleGroupOverrides: SqlInjectionRulesWith("Log"))))
        {
            using var client = gateway.Client();
            using var logged = await client.GetAsync(SqlInjection);
            using var blocked = await client.GetAsync("/search?q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E");
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden), (logged.StatusCode, blocked.StatusCode));
            Assert.Equal(1, gateway.Backend.Requests);
        }

        var events = ReadLog(FirewallLogFile).Select(e => e["properties"]!).ToList();
        Assert.Contains(events, e => (string?)e["ruleId"] == "942100" && (string?)e["action"] == "Matched" && ((string?)e["requestUri"])!.StartsWith("/items", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => (string?)e["action"] == "Blocked" && ((string?)e["requestUri"])!.StartsWith("/items", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rule_overridden_to_Allow_lets_the_request_through_when_it_matches()
    {
        var allow = """[{ "ruleGroupName": "REQUEST-942-APPLICATION-ATTACK-SQLI", "rules": [{ "ruleId": "942100", "state": "Enabled", "action": "Allow" }] }]""";
        await using var gateway = await StartAsync(Policy("Prevention", ruleGroupOverrides: allow));
        using var client = gateway.Client();

        using var allowed = await client.GetAsync(SqlInjection);
        using var blocked = await client.GetAsync("/search?q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden), (allowed.StatusCode, blocked.StatusCode));
    }

    [Fact]
    public async Task A_rule_overridden_to_Block_blocks_on_its_own_match()
    {
        // 920350 (a numeric Host) scores a warning (3), below the threshold (5): alone it never blocks.
        var block = """[{ "ruleGroupName": "REQUEST-920-PROTOCOL-ENFORCEMENT", "rules": [{ "ruleId": "920350", "state": "Enabled", "action": "Block" }] }]""";
        var request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

        Assert.Equal((200, 403), (await StatusAsync(Policy("Prevention")), await StatusAsync(Policy("Prevention", ruleGroupOverrides: block))));

        async Task<int> StatusAsync(WafPolicy policy)
        {
            await using var gateway = await StartAsync(policy);
            return (await RawHttp.SendAsync(gateway.Port, request)).Status;
        }
    }

    [Fact]
    public async Task An_exclusion_of_the_argument_lets_its_value_through_but_not_the_same_value_in_another_argument()
    {
        var exclusions = """[{ "matchVariable": "RequestArgNames", "selectorMatchOperator": "Equals", "selector": "id" }]""";
        await using var gateway = await StartAsync(Policy("Prevention", exclusions: exclusions));
        using var client = gateway.Client();

        using var excluded = await client.GetAsync("/items?id=1%27%20OR%20%271%27%3D%271");
        using var other = await client.GetAsync("/items?key=1%27%20OR%20%271%27%3D%271");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden), (excluded.StatusCode, other.StatusCode));
    }

    [Fact]
    public async Task A_scoped_exclusion_by_name_prefix_takes_the_argument_out_of_the_SQL_injection_group_only()
    {
        var exclusions = """
            [{ "matchVariable": "RequestArgNames", "selectorMatchOperator": "StartsWith", "selector": "filter",
               "exclusionManagedRuleSets": [{ "ruleSetType": "OWASP", "ruleSetVersion": "3.2",
                 "ruleGroups": [{ "ruleGroupName": "REQUEST-942-APPLICATION-ATTACK-SQLI" }] }] }]
            """;
        await using var gateway = await StartAsync(Policy("Prevention", exclusions: exclusions));
        using var client = gateway.Client();

        using var sqli = await client.GetAsync("/items?filterName=1%27%20OR%20%271%27%3D%271");
        using var xss = await client.GetAsync("/items?filterName=%3Cscript%3Ealert(1)%3C%2Fscript%3E");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden), (sqli.StatusCode, xss.StatusCode));
    }

    [Fact]
    public async Task A_custom_IPMatch_Block_rule_blocks_the_client_address_with_the_policys_status_and_body()
    {
        var rules = """
            [{ "name": "blockLoopback", "priority": 10, "ruleType": "MatchRule", "action": "Block",
               "matchConditions": [{ "matchVariables": [{ "variableName": "RemoteAddr" }], "operator": "IPMatch", "matchValues": ["127.0.0.0/8"] }] }]
            """;
        var body = Convert.ToBase64String(Encoding.UTF8.GetBytes("blocked by policy"));
        await using (var gateway = await StartAsync(Policy("Prevention", customRules: rules,
            settings: $$""", "customBlockResponseStatusCode": 429, "customBlockResponseBody": "{{body}}" """)))
        {
            using var client = gateway.Client();
            using var response = await client.GetAsync("/hello");
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal("blocked by policy", await response.Content.ReadAsStringAsync());
            Assert.Equal(0, gateway.Backend.Requests);
        }
        var entry = Assert.Single(ReadLog(FirewallLogFile))["properties"]!;
        Assert.Equal(("Custom", "blockLoopback", "Blocked"), ((string?)entry["ruleSetType"], (string?)entry["ruleId"], (string?)entry["action"]));
    }

    [Fact]
    public async Task A_custom_Allow_rule_skips_the_managed_rules()
    {
        var rules = """
            [{ "name": "trustPartner", "priority": 5, "ruleType": "MatchRule", "action": "Allow",
               "matchConditions": [{ "matchVariables": [{ "variableName": "RequestHeaders", "selector": "X-Partner" }],
                                     "operator": "Equal", "matchValues": ["acme"], "transforms": ["Lowercase", "Trim"] }] }]
            """;
        await using var gateway = await StartAsync(Policy("Prevention", customRules: rules));
        using var client = gateway.Client();

        using var partner = new HttpRequestMessage(HttpMethod.Get, SqlInjection) { Headers = { { "X-Partner", " ACME " } } };
        using var allowed = await client.SendAsync(partner);
        using var stranger = await client.GetAsync(SqlInjection);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden), (allowed.StatusCode, stranger.StatusCode));
    }

    [Fact]
    public async Task A_negated_custom_condition_blocks_every_method_but_the_allowed_ones()
    {
        var rules = """
            [{ "name": "onlyGet", "priority": 1, "ruleType": "MatchRule", "action": "Block",
               "matchConditions": [{ "matchVariables": [{ "variableName": "RequestMethod" }], "operator": "Equal",
                                     "negationConditon": true, "matchValues": ["GET", "HEAD"] }] }]
            """;
        await using var gateway = await StartAsync(Policy("Prevention", customRules: rules));
        using var client = gateway.Client();

        using var get = await client.GetAsync("/a");
        using var delete = await client.DeleteAsync("/a");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden), (get.StatusCode, delete.StatusCode));
    }

    [Fact]
    public async Task A_rate_limit_rule_blocks_the_request_after_the_threshold_in_its_window()
    {
        var rules = """
            [{ "name": "threePerMinute", "priority": 1, "ruleType": "RateLimitRule", "action": "Block",
               "rateLimitDuration": "OneMin", "rateLimitThreshold": 3,
               "groupByUserSession": [{ "groupByVariables": [{ "variableName": "ClientAddr" }] }],
               "matchConditions": [{ "matchVariables": [{ "variableName": "RequestUri" }], "operator": "BeginsWith", "matchValues": ["/api"] }] }]
            """;
        await using var gateway = await StartAsync(Policy("Prevention", customRules: rules));
        using var client = gateway.Client();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync($"/api/items/{i}");
            statuses.Add(response.StatusCode);
        }
        using var elsewhere = await client.GetAsync("/home");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden], statuses);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Equal(4, gateway.Backend.Requests);
    }

    [Fact]
    public async Task A_body_over_the_policys_limit_is_refused_with_413()
    {
        await using var gateway = await StartAsync(Policy("Prevention", settings: """, "maxRequestBodySizeInKb": 8, "requestBodyInspectLimitInKB": 8 """));
        using var client = gateway.Client();

        using var small = await client.PostAsync("/upload", new FormUrlEncodedContent([new("note", new string('a', 4 * 1024))]));
        using var large = await client.PostAsync("/upload", new FormUrlEncodedContent([new("note", new string('a', 9 * 1024))]));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.RequestEntityTooLarge), (small.StatusCode, large.StatusCode));
        Assert.Equal(1, gateway.Backend.Requests);
    }

    [Fact]
    public async Task A_path_rules_own_policy_wins_over_the_gateways()
    {
        var detection = Policy("Detection", id: PolicyId + "Detection");
        var prevention = Policy("Prevention");
        var gateway = TestGateways.Passthrough() with { FirewallPolicyId = PolicyId };
        var listener = gateway.HttpListeners[0] with { FirewallPolicyId = detection.Id };
        await using var running = await RunningGateway.StartAsync(port => (gateway with { HttpListeners = [listener] }, TestGateways.Environment(port)),
            policies: [detection, prevention]);
        using var client = running.Client();

        using var response = await client.GetAsync(SqlInjection);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("POST /?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E HTTP/1.0\r\nHost: localhost\r\n\r\nname=x", 403)]
    [InlineData("POST /?q=ordinary HTTP/1.0\r\nHost: localhost\r\n\r\nname=x", 400)]
    [InlineData("GET /?test=1 HTTP/1.1\r\nHost: localhost%00\r\nConnection: close\r\n\r\n", 403)]
    [InlineData("GET /?test=1 HTTP/1.1\r\nHost: localhost%7E\r\nConnection: close\r\n\r\n", 400)]
    public async Task A_request_Kestrel_refuses_is_judged_by_the_policy_and_never_reaches_the_backend(string request, int status)
    {
        await using var gateway = await StartAsync(Policy("Prevention"));

        var response = await RawHttp.SendAsync(gateway.Port, request);

        Assert.Equal(status, response.Status);
        Assert.Equal(0, gateway.Backend.Requests);
        if (status == 403) Assert.Contains("403 Forbidden", response.Body);
    }

    [Theory]
    [InlineData("HTTP/0.9", 400)]
    [InlineData("HTTP\\1.0", 400)]
    [InlineData("HTTP/3.0", 505)]
    public async Task An_unknown_HTTP_version_gets_nginxs_answer(string version, int status)
    {
        await using var gateway = await StartAsync(Policy("Prevention"));

        var response = await RawHttp.SendAsync(gateway.Port, $"GET / {version}\r\nHost: localhost\r\n\r\n");

        Assert.Equal(status, response.Status);
        Assert.Equal(0, gateway.Backend.Requests);
    }

    [Fact]
    public async Task An_empty_Host_is_refused_with_400()
    {
        await using var gateway = await StartAsync(Policy("Prevention"));

        var response = await RawHttp.SendAsync(gateway.Port, "GET / HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n");

        Assert.Equal(400, response.Status);
        Assert.Equal(0, gateway.Backend.Requests);
    }

    [Fact]
    public void Rules_the_engine_cannot_parse_fail_with_the_engines_message()
    {
        var error = Assert.Throws<WafRulesException>(() => WafRules.Parse("SecRuleEngine Sometimes"));

        Assert.Contains("Sometimes", error.Message);
    }

    [Fact]
    public void A_policy_that_names_a_missing_policy_fails_the_compile_with_an_ARM_error()
    {
        var gateway = TestGateways.Passthrough() with { FirewallPolicyId = PolicyId };

        var error = Assert.Throws<ArmException>(() => GatewayCompiler.Compile([gateway], GatewayEnvironment.Loopback, []));

        Assert.Equal("InvalidResourceReference", error.Error.Code);
    }

    /// <summary>A policy as a template gives it, through the Network provider's checks.</summary>
    private static WafPolicy Policy(string mode, string ruleGroupOverrides = "[]", string exclusions = "[]", string customRules = "[]",
        string settings = "", string id = PolicyId)
    {
        var body = JsonNode.Parse($$"""
            {
              "location": "westus",
              "properties": {
                "policySettings": { "state": "Enabled", "mode": "{{mode}}", "requestBodyCheck": true {{settings}} },
                "customRules": {{customRules}},
                "managedRules": {
                  "managedRuleSets": [{ "ruleSetType": "OWASP", "ruleSetVersion": "3.2", "ruleGroupOverrides": {{ruleGroupOverrides}} }],
                  "exclusions": {{exclusions}}
                }
              }
            }
            """)!.AsObject();
        var resource = NetworkProvider.Provision(new ResourceInput(id, NetworkProvider.WafPolicyType, id.Split('/')[^1], "2025-03-01", body), _ => null);
        return NetworkProvider.ReadWafPolicy(resource);
    }

    private Task<RunningGateway> StartAsync(WafPolicy policy) =>
        RunningGateway.StartAsync(port => (TestGateways.Passthrough() with { FirewallPolicyId = policy.Id }, TestGateways.Environment(port)),
            [new RollingFileSink(AccessLogFile, 1 << 20, 2)], [policy], [new RollingFileSink(FirewallLogFile, 1 << 20, 2)]);

    private static List<JsonNode> ReadLog(string file) => [.. File.ReadAllLines(file).Select(line => JsonNode.Parse(line)!)];

    public void Dispose() => _directory.Delete(recursive: true);
}
