using System.Net;
using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Tests;

/// <summary>customErrorConfigurations: the page at the URL replaces the gateway's own page for that status, the listener's over the gateway's.</summary>
public sealed class CustomErrorPageTests
{
    [Fact]
    public async Task A_listeners_page_for_502_wins_over_the_gateways()
    {
        await using var listenerPages = await TestBackend.StartAsync("listener-pages");
        await using var gatewayPages = await TestBackend.StartAsync("gateway-pages");
        string Page(TestBackend pages) => $"http://127.0.0.1:{pages.Port}{TestBackend.ProbePath}";
        var deadPort = ClosedPort();
        await using var gateway = await RunningGateway.StartAsync(_ =>
        {
            var template = TestGateways.Passthrough();
            return (template with
            {
                CustomErrorConfigurations = [new CustomErrorConfiguration(502, Page(gatewayPages)), new CustomErrorConfiguration(500, Page(gatewayPages))],
                HttpListeners = [template.HttpListeners[0] with { CustomErrorConfigurations = [new CustomErrorConfiguration(502, Page(listenerPages))] }],
            }, TestGateways.Environment(deadPort));
        });
        using var client = gateway.Client();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("listener-pages is fine", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_page_that_cannot_be_fetched_leaves_the_gateways_own_page()
    {
        var deadPort = ClosedPort();
        await using var gateway = await RunningGateway.StartAsync(_ =>
        {
            var template = TestGateways.Passthrough();
            return (template with { CustomErrorConfigurations = [new CustomErrorConfiguration(502, $"http://127.0.0.1:{deadPort}/missing.html")] },
                TestGateways.Environment(deadPort));
        });
        using var client = gateway.Client();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("<center><h1>502 Bad Gateway</h1></center>", await response.Content.ReadAsStringAsync());
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
