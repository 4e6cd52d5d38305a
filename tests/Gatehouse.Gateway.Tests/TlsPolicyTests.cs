using Gatehouse.Arm;
using Gatehouse.Errors;
using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Tests;

/// <summary>Each TLS policy, seen from openssl s_client against an RSA listener certificate (appgw-behaviour §4).</summary>
public sealed class TlsPolicyTests
{
    [Theory]
    // A suite of the policy, then one it leaves out.
    [InlineData("AppGwSslPolicy20170401S", "AES256-SHA256", "ECDHE-RSA-AES256-SHA384")]
    [InlineData("AppGwSslPolicy20220101", "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA")]
    [InlineData("AppGwSslPolicy20220101S", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA256")]
    public async Task A_predefined_policy_accepts_its_suites_on_TLS_1_2_and_refuses_others(string policy, string inside, string outside)
    {
        await using var gateway = await StartAsync(new SslPolicy("Predefined", policy, null, [], []));

        Assert.True((await HandshakeAsync(gateway, "-tls1_2", "-cipher", inside)).ExitCode == 0, policy + " " + inside);
        Assert.NotEqual(0, (await HandshakeAsync(gateway, "-tls1_2", "-cipher", outside)).ExitCode);
    }

    [Theory]
    [InlineData("AppGwSslPolicy20170401S", new[] { "-tls1_2" }, new[] { "-tls1", "-tls1_1", "-tls1_3" })]
    [InlineData("AppGwSslPolicy20220101", new[] { "-tls1_2", "-tls1_3" }, new[] { "-tls1", "-tls1_1" })]
    [InlineData("AppGwSslPolicy20220101S", new[] { "-tls1_2", "-tls1_3" }, new[] { "-tls1", "-tls1_1" })]
    public async Task A_predefined_policy_speaks_exactly_its_protocol_versions(string policy, string[] accepted, string[] refused)
    {
        await using var gateway = await StartAsync(new SslPolicy("Predefined", policy, null, [], []));

        // SECLEVEL=0 lets this OpenSSL client offer TLS 1.0 and 1.1 at all; the gateway decides.
        foreach (var version in accepted)
        {
            var result = await HandshakeAsync(gateway, version, "-cipher", "DEFAULT@SECLEVEL=0");
            Assert.True(result.ExitCode == 0, $"{policy} {version}: {result.All}");
        }
        foreach (var version in refused)
            Assert.NotEqual(0, (await HandshakeAsync(gateway, version, "-cipher", "DEFAULT@SECLEVEL=0")).ExitCode);
    }

    /// <summary>The policies that allow TLS 1.0 or 1.1 are retired: the Network provider refuses them, so no listener serves them.</summary>
    [Theory]
    [InlineData("AppGwSslPolicy20150501")]
    [InlineData("AppGwSslPolicy20170401")]
    public void A_retired_predefined_policy_is_refused_at_compile_time(string policy)
    {
        var gateway = TestGateways.Passthrough() with { SslPolicy = new SslPolicy("Predefined", policy, null, [], []), SslProfiles = [] };
        gateway = gateway with { HttpListeners = [gateway.HttpListeners[0] with { SslProfileId = null }] };

        var error = Assert.Throws<ArmException>(() => GatewayCompiler.Compile([gateway], TestGateways.Environment(8080)));

        Assert.Equal("ApplicationGatewayDeprecatedTlsVersionUsedInSslPolicy", error.Error.Code);
    }

    [Fact]
    public async Task Custom_takes_only_its_suites_and_no_TLS_1_3()
    {
        await using var gateway = await StartAsync(new SslPolicy("Custom", null, "TLSv1_2", ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"], []));

        Assert.Equal(0, (await HandshakeAsync(gateway, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")).ExitCode);
        Assert.NotEqual(0, (await HandshakeAsync(gateway, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384")).ExitCode);
        Assert.NotEqual(0, (await HandshakeAsync(gateway, "-tls1_3")).ExitCode);
    }

    [Fact]
    public async Task CustomV2_with_TLS_1_3_minimum_refuses_TLS_1_2()
    {
        await using var gateway = await StartAsync(new SslPolicy("CustomV2", null, "TLSv1_3", [], []));

        Assert.Equal(0, (await HandshakeAsync(gateway, "-tls1_3")).ExitCode);
        Assert.NotEqual(0, (await HandshakeAsync(gateway, "-tls1_2")).ExitCode);
    }

    [Fact]
    public async Task The_ssl_profile_policy_wins_over_the_gateway_policy()
    {
        await using var gateway = await RunningGateway.StartAsync(port =>
        {
            var template = TestGateways.Passthrough() with { SslPolicy = new SslPolicy("Predefined", "AppGwSslPolicy20150501", null, [], []) };
            var profile = template.SslProfiles[0] with { SslPolicy = new SslPolicy("Predefined", "AppGwSslPolicy20220101S", null, [], []) };
            return (template with { SslProfiles = [profile] }, TestGateways.Environment(port));
        });

        Assert.Equal(0, (await HandshakeAsync(gateway, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")).ExitCode);
        Assert.NotEqual(0, (await HandshakeAsync(gateway, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA")).ExitCode);
    }

    [Fact]
    public async Task No_policy_means_AppGwSslPolicy20220101()
    {
        await using var gateway = await StartAsync(null);

        Assert.Equal(0, (await HandshakeAsync(gateway, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256")).ExitCode);
        Assert.NotEqual(0, (await HandshakeAsync(gateway, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA")).ExitCode);
        Assert.NotEqual(0, (await HandshakeAsync(gateway, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")).ExitCode);
    }

    private static Task<RunningGateway> StartAsync(SslPolicy? policy) =>
        RunningGateway.StartAsync(port => (TestGateways.Passthrough() with { SslPolicy = policy }, TestGateways.Environment(port)));

    private static Task<ToolResult> HandshakeAsync(RunningGateway gateway, params string[] options) =>
        Tool.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{gateway.Port}", "-servername", "localhost", .. options]);
}
