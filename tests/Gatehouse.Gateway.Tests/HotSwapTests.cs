using System.Net.Sockets;
using System.Net;
using Gatehouse.Arm;
using Gatehouse.Errors;
using Gatehouse.Gateway.Tests.Support;

namespace Gatehouse.Gateway.Tests;

/// <summary>Applying a new plan changes what new requests get, without dropping connections; bad plans change nothing.</summary>
public sealed class HotSwapTests
{
    [Fact]
    public async Task A_new_plan_takes_effect_on_a_kept_alive_connection()
    {
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.Passthrough("v1"), TestGateways.Environment(port)));
        var connections = 0;
        using var client = gateway.Client(onConnect: () => Interlocked.Increment(ref connections));
        var before = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/"));
        var port = gateway.Port;

        await gateway.Host.ApplyAsync(GatewayCompiler.Compile([TestGateways.Passthrough("v2")], TestGateways.Environment(gateway.Backend.Port)));
        var after = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/"));

        Assert.Equal("localhost v1 on 444", before.Header("X-Plan"));
        Assert.Equal("localhost v2 on 444", after.Header("X-Plan"));
        Assert.Equal(1, connections);
        Assert.Equal(port, gateway.Port);
    }

    [Fact]
    public async Task A_retired_plan_stays_alive_while_a_keep_alive_connection_uses_it_and_is_disposed_when_it_closes()
    {
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.Passthrough("v1"), TestGateways.Environment(port)));
        var held = gateway.Client();
        await gateway.EchoAsync(held, new HttpRequestMessage(HttpMethod.Get, "/"));

        for (var version = 2; version <= 6; version++)
            await gateway.Host.ApplyAsync(GatewayCompiler.Compile([TestGateways.Passthrough($"v{version}")], TestGateways.Environment(gateway.Backend.Port)));
        var aliveWhileHeld = gateway.Host.PlansAlive;
        var onHeldConnection = await gateway.EchoAsync(held, new HttpRequestMessage(HttpMethod.Get, "/"));
        held.Dispose();
        var aliveAfterClose = await PlansAliveSettledAsync(gateway.Host, expected: 1);
        using var fresh = gateway.Client();
        var onNewConnection = await gateway.EchoAsync(fresh, new HttpRequestMessage(HttpMethod.Get, "/"));

        // v6 serves; v1 holds the held connection's handshake (certificate and client-certificate trust); v2 to v5 had no user.
        Assert.Equal(2, aliveWhileHeld);
        Assert.Equal("localhost v6 on 444", onHeldConnection.Header("X-Plan"));
        Assert.Equal(1, aliveAfterClose);
        Assert.Equal("localhost v6 on 444", onNewConnection.Header("X-Plan"));
    }

    /// <summary>The host's count of live plans once it reaches <paramref name="expected"/>, or after 10 s: a closed connection is released asynchronously.</summary>
    internal static async Task<int> PlansAliveSettledAsync(GatewayHost host, int expected)
    {
        for (var i = 0; i < 200 && host.PlansAlive != expected; i++) await Task.Delay(50);
        return host.PlansAlive;
    }

    [Fact]
    public async Task A_wrong_PFX_password_fails_compilation_naming_the_certificate_and_the_old_plan_keeps_serving()
    {
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.Passthrough(), TestGateways.Environment(port)));
        var template = TestGateways.Passthrough("v2");
        var broken = template with { SslCertificates = [template.SslCertificates[0] with { Password = "wrong" }] };

        var error = Assert.Throws<ArmException>(() => GatewayCompiler.Compile([broken], TestGateways.Environment(gateway.Backend.Port)));
        using var client = gateway.Client();
        var echo = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/"));

        Assert.Equal(TestGateways.CertificateId, error.Error.Target);
        Assert.Contains("sslCert", error.Message);
        Assert.Equal("localhost v1 on 444", echo.Header("X-Plan"));
    }

    [Fact]
    public async Task A_port_that_cannot_be_bound_fails_ApplyAsync_and_the_old_plan_keeps_serving()
    {
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.Passthrough(), TestGateways.Environment(port)));
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var taken = ((IPEndPoint)occupied.LocalEndpoint).Port;
        var environment = TestGateways.Environment(gateway.Backend.Port) with { PortMap = new Dictionary<int, int> { [TestGateways.FrontendPort] = taken } };

        await Assert.ThrowsAnyAsync<IOException>(() => gateway.Host.ApplyAsync(GatewayCompiler.Compile([TestGateways.Passthrough("v2")], environment)));
        using var client = gateway.Client();
        var echo = await gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/"));

        Assert.Equal("localhost v1 on 444", echo.Header("X-Plan"));
        Assert.NotEqual(taken, gateway.Port);
    }

    [Fact]
    public async Task A_dead_backend_gets_Azures_502_page()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var gateway = await RunningGateway.StartAsync(_ => (TestGateways.Passthrough(), TestGateways.Environment(deadPort)));
        using var client = gateway.Client();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n" +
            "<hr><center>Microsoft-Azure-Application-Gateway/v2</center>\r\n</body>\r\n</html>\r\n",
            await response.Content.ReadAsStringAsync());
    }
}
