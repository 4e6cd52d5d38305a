using Gatehouse.Gateway.Tests.Support;
using static Gatehouse.Gateway.Tests.Support.TestCertificates;

namespace Gatehouse.Gateway.Tests;

/// <summary>Listeners on one port chosen by SNI, each with its own certificate (appgw-behaviour §5.3).</summary>
public sealed class SniTests
{
    private static readonly Site Exact = new("exact", ["a.test"], Pfx: ServerPfxFor("a.test"));
    private static readonly Site Wildcards = new("wild", ["*.wild.test", "ap?.other.test"], Pfx: ServerPfxFor("*.wild.test"));
    private static readonly Site Basic = new("basic", [], Pfx: ServerPfxFor("basic.test"));

    [Theory]
    [InlineData("a.test", "a.test")]
    [InlineData("A.TEST", "a.test")]
    [InlineData("deep.sub.wild.test", "*.wild.test")]
    [InlineData("api.other.test", "*.wild.test")]
    [InlineData("apis.other.test", "basic.test")]
    [InlineData("unknown.test", "basic.test")]
    [InlineData(null, "basic.test")]
    public async Task SNI_picks_the_certificate_and_the_basic_listener_takes_the_rest(string? serverName, string certificate)
    {
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.OnePort(Exact, Wildcards, Basic), TestGateways.Environment(port)));

        Assert.Contains($"subject=CN = {certificate}\n", await ServedSubjectAsync(gateway, serverName));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("unknown.test")]
    public async Task Without_a_basic_listener_no_or_unknown_SNI_gets_the_first_listener_by_rule_priority(string? serverName)
    {
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.OnePort(Wildcards, Exact), TestGateways.Environment(port)));

        Assert.Contains("subject=CN = *.wild.test\n", await ServedSubjectAsync(gateway, serverName));
    }

    [Fact]
    public async Task A_wildcard_host_routes_requests_of_several_labels()
    {
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.OnePort(Exact, Wildcards, Basic), TestGateways.Environment(port)));

        // -k: the certificate's *.wild.test covers one label only; the listener's host name covers any number.
        var echo = (await gateway.CurlAsync(["-k", "https://deep.sub.wild.test/"])).Single().Echo;

        Assert.Equal("deep.sub.wild.test wild on 444", echo.Header("X-Plan"));
    }

    [Fact]
    public async Task A_listener_that_requires_SNI_is_not_reached_by_Host_alone()
    {
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.OnePort(
            new Site("named", ["named.test"], RequireServerNameIndication: true), Basic), TestGateways.Environment(port)));

        var responses = await gateway.CurlAsync(
            ["-k", $"https://127.0.0.1:{gateway.Port}/", "-H", "Host: named.test"],
            ["https://named.test/"]);

        Assert.Equal([421, 200], responses.Select(r => r.Status));
    }

    private static async Task<string> ServedSubjectAsync(RunningGateway gateway, string? serverName)
    {
        string[] sni = serverName is null ? ["-noservername"] : ["-servername", serverName];
        var result = await Tool.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{gateway.Port}", .. sni]);
        return result.Output;
    }
}
