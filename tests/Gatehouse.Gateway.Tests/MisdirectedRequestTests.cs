using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Tests;

/// <summary>Four listeners on one port: two Strict with the same trust, one Passthrough, one basic without client authentication.</summary>
public sealed class MixedListenersFixture : IAsyncLifetime
{
    public RunningGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await RunningGateway.StartAsync(port => (TestGateways.OnePort(
        new Site("strict", ["strict.test"], ClientAuthMode.Strict),
        new Site("strict-too", ["strict-too.test"], ClientAuthMode.Strict),
        new Site("pass", ["pass.test"], ClientAuthMode.Passthrough),
        new Site("open", [])) with { EnableHttp2 = true }, TestGateways.Environment(port)));

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>
/// SNI/Host confusion (peers-mtls §6.2): a Host may only reach a listener whose client authentication is the
/// one negotiated at the handshake, on every request of a connection, and never by Host alone without SNI.
/// </summary>
public sealed class MisdirectedRequestTests(MixedListenersFixture fixture) : IClassFixture<MixedListenersFixture>
{
    private RunningGateway Gateway => fixture.Gateway;

    [Theory]
    [InlineData("--http1.1", "HTTP/1.1")]
    [InlineData("--http2", "HTTP/2.0")]
    public async Task Every_request_of_a_Passthrough_connection_whose_Host_is_Strict_gets_421(string version, string expectedVersion)
    {
        var (certificate, key) = Gateway.Files.Client(TestCertificates.ValidClient, "valid");
        string[] passthrough = [version, "--cert", certificate, "--key", key, "https://pass.test/"];
        string[] strictHost = [.. passthrough, "-H", "Host: strict.test"];

        var responses = await Gateway.CurlAsync(passthrough, strictHost, passthrough, strictHost);

        Assert.Equal([200, 421, 200, 421], responses.Select(r => r.Status));
        Assert.Equal([true, false, false, false], responses.Select(r => r.NewConnection));
        Assert.Equal("pass.test pass on 444", responses[2].Echo.Header("X-Plan"));
        Assert.Contains("<center><h1>421 Misdirected Request</h1></center>", responses[1].Body);
        Assert.Equal(expectedVersion, responses[0].Echo.Header("X-Http-Version"));
    }

    [Fact]
    public async Task A_Strict_handshake_reaches_another_listener_with_the_same_trust_and_not_one_without_client_authentication()
    {
        var (certificate, key) = Gateway.Files.Client(TestCertificates.ValidClient, "valid");
        string[] strict = ["--cert", certificate, "--key", key, "https://strict.test/"];

        var responses = await Gateway.CurlAsync([.. strict, "-H", "Host: strict-too.test"], [.. strict, "-H", "Host: gateway.test"]);

        Assert.Equal(200, responses[0].Status);
        Assert.Equal("strict-too.test strict-too on 444", responses[0].Echo.Header("X-Plan"));
        Assert.Equal("SUCCESS", responses[0].Echo.Header("X-Client-Cert-Verification"));
        Assert.Equal(421, responses[1].Status);
    }

    [Fact]
    public async Task An_open_or_Passthrough_handshake_cannot_reach_a_Strict_listener_whatever_the_certificate()
    {
        var (certificate, key) = Gateway.Files.Client(TestCertificates.ValidClient, "valid");

        var responses = await Gateway.CurlAsync(
            ["https://gateway.test/", "-H", "Host: strict.test"],
            ["--cert", certificate, "--key", key, "https://pass.test/", "-H", "Host: strict-too.test"],
            ["--cert", certificate, "--key", key, "https://gateway.test/", "-H", "Host: pass.test"]);

        Assert.All(responses, r => Assert.Equal(421, r.Status));
    }

    [Fact]
    public async Task Without_SNI_the_basic_listener_serves_and_a_Strict_Host_gets_421()
    {
        var (certificate, key) = Gateway.Files.Client(TestCertificates.ValidClient, "valid");
        string[] noSni = ["--cert", certificate, "--key", key, $"https://127.0.0.1:{Gateway.Port}/"];

        var responses = await Gateway.CurlAsync([.. noSni, "-H", "Host: gateway.test"], [.. noSni, "-H", "Host: strict.test"]);

        Assert.Equal(200, responses[0].Status);
        Assert.Equal("gateway.test open on 444", responses[0].Echo.Header("X-Plan"));
        Assert.Equal(421, responses[1].Status);
    }

    [Fact]
    public async Task Without_SNI_a_Strict_listener_that_takes_names_is_never_reached_even_when_it_served_the_handshake()
    {
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.OnePort(
            new Site("strict", ["strict.test"], ClientAuthMode.Strict),
            new Site("pass", ["pass.test"], ClientAuthMode.Passthrough)), TestGateways.Environment(port)));
        var (certificate, key) = gateway.Files.Client(TestCertificates.ValidClient, "valid");
        string[] withCertificate = ["--cert", certificate, "--key", key];

        var responses = await gateway.CurlAsync(
            [.. withCertificate, $"https://127.0.0.1:{gateway.Port}/", "-H", "Host: strict.test"],
            [.. withCertificate, "https://strict.test/"]);

        Assert.Equal(421, responses[0].Status);
        Assert.Equal(200, responses[1].Status);
        Assert.Equal("SUCCESS", responses[1].Echo.Header("X-Client-Cert-Verification"));
    }
}
