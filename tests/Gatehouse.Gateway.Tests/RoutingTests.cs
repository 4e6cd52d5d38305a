using System.Net;
using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Network.ApplicationGateways;
using static Gatehouse.Gateway.Tests.Support.TestGateways;

namespace Gatehouse.Gateway.Tests;

/// <summary>
/// Path-based routing and redirects (appgw-behaviour §5.4-§5.6, §5.8). Every target forwards to the one echo
/// backend under its own settings, whose hostName shows which target the request took.
/// </summary>
public sealed class RoutingTests
{
    [Theory]
    [InlineData("/images/cat.png", "images")]
    [InlineData("/images/a%2Fb%20c", "images")]
    [InlineData("/IMAGES/cat.png", "images")]
    [InlineData("/api/v1/users", "v1")]
    [InlineData("/api/v2/users", "api")]
    [InlineData("/exact", "exact")]
    [InlineData("/exact/more", "default")]
    [InlineData("/other?to=/images/", "default")]
    [InlineData("/", "default")]
    public async Task The_first_listed_path_rule_that_matches_the_path_wins_else_the_default(string target, string expectedSite)
    {
        await using var gateway = await RunningGateway.StartAsync(port => (PathBased(
            ("images", ["/images/*"], null),
            ("v1", ["/api/v1/*"], null),
            ("api", ["/api/*", "/api/v1/*"], null),
            ("exact", ["/exact"], null)), Environment(port)));
        using var client = gateway.Client();

        var echo = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, target));

        Assert.Equal(expectedSite, echo.Header("Host"));
        Assert.Equal(target, echo.Target);
    }

    [Theory]
    [InlineData("/pathrule/home/secondhome/?q=1", "/override/secondhome/?q=1")]
    [InlineData("/pathrule/home/", "/override/")]
    [InlineData("/pathrule/home/a%2Fb", "/override/a%2Fb")]
    [InlineData("/pathrule/h%6Fme/a%2Fb", "/override/a%2Fb")]
    [InlineData("/exact", "/override/")]
    [InlineData("/home/", "/override/home/")]
    public async Task The_settings_path_replaces_a_path_rules_matched_prefix_and_prefixes_any_other_path(string target, string expected)
    {
        await using var gateway = await RunningGateway.StartAsync(port =>
        {
            var template = PathBased(("pathrule", ["/pathrule/home*"], null), ("exact", ["/exact"], null));
            // The default settings too, so that a path no rule takes shows the Basic behaviour.
            var overridden = template.BackendHttpSettingsCollection.Select(s => s with { Path = "/override/" });
            return (template with { BackendHttpSettingsCollection = [.. overridden] }, Environment(port));
        });
        using var client = gateway.Client();

        var echo = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, target));

        Assert.Equal(expected, echo.Target);
    }

    [Theory]
    [InlineData(RedirectType.Permanent, HttpStatusCode.MovedPermanently)]
    [InlineData(RedirectType.Found, HttpStatusCode.Found)]
    [InlineData(RedirectType.SeeOther, HttpStatusCode.SeeOther)]
    [InlineData(RedirectType.Temporary, HttpStatusCode.TemporaryRedirect)]
    public async Task A_redirect_to_a_listener_takes_its_scheme_host_and_port(RedirectType type, HttpStatusCode expected)
    {
        var redirect = new RedirectConfiguration(Id("redirectConfigurations", "toSecure"), "toSecure", type,
            Id("httpListeners", "secure"), null, IncludePath: true, IncludeQueryString: true);
        await using var gateway = await RunningGateway.StartAsync(port => (WithRedirect(redirect, withTargetListener: true), RedirectEnvironment(port)));
        using var client = gateway.Client();

        using var response = await client.GetAsync("/a/b?c=d");

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("https://secure.test:8443/a/b?c=d", response.Headers.Location?.OriginalString);
        Assert.Contains($"<title>{(int)expected} ", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(false, false, "https://secure.test:8443/")]
    [InlineData(true, false, "https://secure.test:8443/a/b")]
    [InlineData(false, true, "https://secure.test:8443/?c=d")]
    public async Task A_listener_redirect_includes_the_path_and_query_only_when_asked(bool includePath, bool includeQuery, string expected)
    {
        var redirect = new RedirectConfiguration(Id("redirectConfigurations", "toSecure"), "toSecure", RedirectType.Found,
            Id("httpListeners", "secure"), null, includePath, includeQuery);
        await using var gateway = await RunningGateway.StartAsync(port => (WithRedirect(redirect, withTargetListener: true), RedirectEnvironment(port)));
        using var client = gateway.Client();

        using var response = await client.GetAsync("/a/b?c=d");

        Assert.Equal(expected, response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData(true, "https://www.example.com/landing?c=d")]
    [InlineData(false, "https://www.example.com/landing")]
    public async Task A_redirect_to_a_URL_carries_the_query_string_but_never_the_path(bool includeQuery, string expected)
    {
        var redirect = new RedirectConfiguration(Id("redirectConfigurations", "toSite"), "toSite", RedirectType.Permanent,
            null, "https://www.example.com/landing", IncludePath: true, includeQuery);
        await using var gateway = await RunningGateway.StartAsync(port => (WithRedirect(redirect, withTargetListener: false), Environment(port)));
        using var client = gateway.Client();

        using var response = await client.GetAsync("/a/b?c=d");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_path_rule_can_redirect_while_the_others_forward()
    {
        var redirect = new RedirectConfiguration(Id("redirectConfigurations", "old"), "old", RedirectType.Permanent,
            null, "https://www.example.com/new", false, false);
        await using var gateway = await RunningGateway.StartAsync(port =>
        {
            var template = PathBased(("old", ["/old/*"], null));
            var map = template.UrlPathMaps[0];
            return (template with
            {
                RedirectConfigurations = [redirect],
                UrlPathMaps = [map with { PathRules = [map.PathRules[0] with { BackendAddressPoolId = null, BackendHttpSettingsId = null, RedirectConfigurationId = redirect.Id }] }],
            }, Environment(port));
        });
        using var client = gateway.Client();

        using var moved = await client.GetAsync("/old/page");
        var forwarded = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/new/page"));

        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal("https://www.example.com/new", moved.Headers.Location?.OriginalString);
        Assert.Equal("default", forwarded.Header("Host"));
    }

    [Theory]
    [InlineData("api.wild.test", "wild")]
    [InlineData("a.test", "exact")]
    [InlineData("other.test", "basic")]
    public async Task Listeners_are_tried_in_rule_priority_order_whatever_kind_of_host_name_they_take(string host, string expectedListener)
    {
        // The wildcard's rule has priority 100, the exact host names' 200, the basic listener's 300.
        await using var gateway = await RunningGateway.StartAsync(port => (OnePort(
            new Site("wild", ["*.wild.test"]), new Site("exact", ["api.wild.test", "a.test"]), new Site("basic", [])), Environment(port)));

        var echo = (await gateway.CurlAsync(["-k", $"https://{host}/"])).Single().Echo;

        Assert.Equal($"{host} {expectedListener} on 444", echo.Header("X-Plan"));
    }

    [Fact]
    public async Task A_basic_listener_ahead_of_a_named_one_takes_its_host_too()
    {
        await using var gateway = await RunningGateway.StartAsync(port => (OnePort(new Site("basic", []), new Site("exact", ["a.test"])), Environment(port)));

        var echo = (await gateway.CurlAsync(["-k", "https://a.test/"])).Single().Echo;

        Assert.Equal("a.test basic on 444", echo.Header("X-Plan"));
    }

    /// <summary>
    /// The passthrough gateway with its rule made path-based: each (name, paths, settings path) is a path rule whose
    /// settings send Host <c>name</c>; the map's default settings send Host <c>default</c>.
    /// </summary>
    internal static ApplicationGateway PathBased(params (string Name, string[] Paths, string? SettingsPath)[] rules)
    {
        var template = Passthrough();
        var baseSettings = template.BackendHttpSettingsCollection[0];
        BackendHttpSettings Settings(string name, string? path) =>
            baseSettings with { Id = Id("backendHttpSettingsCollection", name), Name = name, HostName = name, Path = path };
        var pool = template.BackendAddressPools[0].Id;
        var map = new UrlPathMap(Id("urlPathMaps", "map"), "map", pool, Id("backendHttpSettingsCollection", "default"), null, null,
            [.. rules.Select(r => new PathRule(Id("urlPathMaps", $"map/pathRules/{r.Name}"), r.Name, r.Paths, pool,
                Id("backendHttpSettingsCollection", r.Name), null, null))]);
        return template with
        {
            BackendHttpSettingsCollection = [Settings("default", null), .. rules.Select(r => Settings(r.Name, r.SettingsPath))],
            UrlPathMaps = [map],
            RequestRoutingRules = [template.RequestRoutingRules[0] with
            {
                RuleType = RoutingRuleType.PathBasedRouting,
                BackendAddressPoolId = null,
                BackendHttpSettingsId = null,
                RewriteRuleSetId = null,
                UrlPathMapId = map.Id,
            }],
        };
    }

    /// <summary>Frontend ports 444 and 8443 on ports the OS picks.</summary>
    private static GatewayEnvironment RedirectEnvironment(int backendPort) =>
        Environment(backendPort) with { PortMap = new Dictionary<int, int> { [TestGateways.FrontendPort] = 0, [8443] = 0 } };

    /// <summary>The passthrough gateway whose rule redirects; optionally with the target listener <c>secure</c> (secure.test on 8443).</summary>
    private static ApplicationGateway WithRedirect(RedirectConfiguration redirect, bool withTargetListener)
    {
        var template = Passthrough();
        var listener = template.HttpListeners[0];
        var securePort = new FrontendPort(Id("frontendPorts", "secure"), "secure", 8443);
        var secure = listener with { Id = Id("httpListeners", "secure"), Name = "secure", FrontendPortId = securePort.Id, HostNames = ["secure.test"] };
        var secureRule = template.RequestRoutingRules[0] with { Id = Id("requestRoutingRules", "secure"), Name = "secure", Priority = 3000, HttpListenerId = secure.Id };
        var rule = template.RequestRoutingRules[0] with { BackendAddressPoolId = null, BackendHttpSettingsId = null, RewriteRuleSetId = null, RedirectConfigurationId = redirect.Id };
        return template with
        {
            RedirectConfigurations = [redirect],
            FrontendPorts = withTargetListener ? [.. template.FrontendPorts, securePort] : template.FrontendPorts,
            HttpListeners = withTargetListener ? [listener, secure] : [listener],
            RequestRoutingRules = withTargetListener ? [rule, secureRule] : [rule],
        };
    }
}
