using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Network.ApplicationGateways;
using static Gatehouse.Gateway.Tests.Support.TestGateways;

namespace Gatehouse.Gateway.Tests;

/// <summary>urlConfiguration (modifiedPath, modifiedQueryString, reroute) and the general server variables of appgw-behaviour §2.2.</summary>
public sealed class UrlRewriteTests
{
    [Fact]
    public async Task Captures_of_a_condition_build_the_new_path_and_query_string()
    {
        var articles = Rule("articles", new RewriteRuleCondition("var_uri_path", "^/article/(.+)/(.+)$", false, false),
            new UrlConfiguration("/content.aspx", "category={var_uri_path_1}&product={var_uri_path_2}", false));
        await using var gateway = await RunningGateway.StartAsync(port => (WithRuleSet(Passthrough(), articles), Environment(port)));
        using var client = gateway.Client();

        var rewritten = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/article/shoes/boot?old=1"));
        var untouched = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/other?old=1"));

        Assert.Equal("/content.aspx?category=shoes&product=boot", rewritten.Target);
        Assert.Equal("/article/shoes/boot?old=1", rewritten.Header("X-Original-URL"));
        Assert.Equal("/other?old=1", untouched.Target);
    }

    [Fact]
    public async Task Reroute_picks_the_path_rule_of_the_rewritten_path()
    {
        var toContent = Rule("toContent", new RewriteRuleCondition("var_uri_path", "^/article/(.*)$", false, false),
            new UrlConfiguration("/content/{var_uri_path_1}", null, true));
        await using var gateway = await RunningGateway.StartAsync(port =>
            (WithPathRuleSet(RoutingTests.PathBased(("article", ["/article/*"], null), ("content", ["/content/*"], null)), "article", toContent),
                Environment(port)));
        using var client = gateway.Client();

        var echo = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/article/7?x=1"));

        Assert.Equal("content", echo.Header("Host"));
        Assert.Equal("/content/7?x=1", echo.Target);
    }

    [Fact]
    public async Task Without_reroute_the_rewritten_path_stays_with_the_first_path_rule()
    {
        var toContent = Rule("toContent", new RewriteRuleCondition("var_uri_path", "^/article/(.*)$", false, false),
            new UrlConfiguration("/content/{var_uri_path_1}", null, false));
        await using var gateway = await RunningGateway.StartAsync(port =>
            (WithPathRuleSet(RoutingTests.PathBased(("article", ["/article/*"], null), ("content", ["/content/*"], null)), "article", toContent),
                Environment(port)));
        using var client = gateway.Client();

        var echo = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/article/7"));

        Assert.Equal("article", echo.Header("Host"));
        Assert.Equal("/content/7", echo.Target);
    }

    [Fact]
    public async Task On_a_Basic_rule_reroute_has_no_map_to_consult_and_the_path_is_sent()
    {
        var rule = Rule("reroute", null, new UrlConfiguration("/moved", null, true));
        await using var gateway = await RunningGateway.StartAsync(port => (WithRuleSet(Passthrough(), rule), Environment(port)));
        using var client = gateway.Client();

        var echo = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/start?q=1"));

        Assert.Equal("/moved?q=1", echo.Target);
    }

    [Fact]
    public async Task A_reroute_that_reroutes_again_is_a_loop_and_gets_500()
    {
        var loop = Rule("loop", null, new UrlConfiguration("/loop/again", null, true));
        await using var gateway = await RunningGateway.StartAsync(port =>
            (WithPathRuleSet(RoutingTests.PathBased(("loop", ["/loop/*"], null)), "loop", loop), Environment(port)));
        using var client = gateway.Client();

        using var response = await client.GetAsync("/loop/start");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Microsoft-Azure-Application-Gateway/v2", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task General_server_variables_carry_what_the_exchange_had()
    {
        var variables = new RewriteRule("variables", 100, [], new RewriteActionSet(
        [
            new HeaderConfiguration("X-User", "{var_client_user}"),
            new HeaderConfiguration("X-Cipher", "{var_ciphers_used}"),
            new HeaderConfiguration("X-Ciphers", "{var_ciphers_supported}"),
            new HeaderConfiguration("X-Rtt", "{var_client_tcp_rtt}"),
            new HeaderConfiguration("X-Received", "{var_received_bytes}"),
        ],
        [
            new HeaderConfiguration("X-Status", "{var_http_status}"),
            new HeaderConfiguration("X-Sent", "{var_sent_bytes}"),
        ]));
        await using var gateway = await RunningGateway.StartAsync(port => (WithRuleSet(Passthrough(), variables), Environment(port)));
        using var client = gateway.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/variables");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:secret")));

        using var response = await client.SendAsync(request);
        var echo = EchoedRequest.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("alice", echo.Header("X-User"));
        Assert.Matches("^(ECDHE-RSA-AES(128|256)-GCM-SHA(256|384)|TLS_AES_(128|256)_GCM_SHA(256|384))$", echo.Header("X-Cipher"));
        Assert.Contains(echo.Header("X-Cipher")!, echo.Header("X-Ciphers")!.Split(':'));
        Assert.Contains("ECDHE-RSA-AES256-GCM-SHA384", echo.Header("X-Ciphers")!.Split(':'));
        Assert.Matches("^[0-9]+$", echo.Header("X-Rtt"));
        Assert.True(int.Parse(echo.Header("X-Received")!) > "GET /variables HTTP/1.1\r\n".Length);
        Assert.Equal("200", response.Headers.GetValues("X-Status").Single());
        Assert.True(int.Parse(response.Headers.GetValues("X-Sent").Single()) > 0);
    }

    private static RewriteRule Rule(string name, RewriteRuleCondition? condition, UrlConfiguration url) =>
        new(name, 100, condition is null ? [] : [condition], new RewriteActionSet([], []) { UrlConfiguration = url });

    private static ApplicationGateway WithRuleSet(ApplicationGateway template, RewriteRule rule) => template with
    {
        RewriteRuleSets = [new RewriteRuleSet(template.RequestRoutingRules[0].RewriteRuleSetId!, "set", [rule])],
    };

    private static ApplicationGateway WithPathRuleSet(ApplicationGateway template, string pathRule, RewriteRule rule)
    {
        var set = new RewriteRuleSet(Id("rewriteRuleSets", "urls"), "urls", [rule]);
        var map = template.UrlPathMaps[0];
        return template with
        {
            RewriteRuleSets = [set],
            UrlPathMaps = [map with { PathRules = [.. map.PathRules.Select(p => p.Name == pathRule ? p with { RewriteRuleSetId = set.Id } : p)] }],
        };
    }
}
