using System.Collections.Concurrent;
using System.Net;
using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Network.ApplicationGateways;
using static Gatehouse.Gateway.Tests.Support.TestGateways;

namespace Gatehouse.Gateway.Tests;

/// <summary>
/// Redeploys under load: every request is answered by the old plan or the new one, never failed, and once the clients
/// are gone only the last plan is left in memory.
/// </summary>
public sealed class ReloadTests
{
    private const int Redeploys = 20;
    private const int MaxRequestsPerClient = 20_000;
    private const int ExtraPort = 8080;

    [Fact]
    public async Task Twenty_redeploys_that_change_routes_certificates_and_ports_fail_no_request()
    {
        // Certificates are made before the load starts, so that swaps follow each other closely.
        var plans = Enumerable.Range(0, Redeploys + 1).Select(Plan).ToList();
        await using var gateway = await RunningGateway.StartAsync(port => (plans[0], Reloading(port)));
        var clients = new[]
        {
            (Client: gateway.Client(), NewConnections: false),
            (Client: gateway.Client(), NewConnections: true),
            (Client: gateway.Client(TestCertificates.ValidClient), NewConnections: false),
            (Client: gateway.Client(TestCertificates.ValidClient), NewConnections: true),
        };
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var answered = 0;

        async Task LoadAsync(HttpClient client, bool newConnections)
        {
            for (var i = 0; i < MaxRequestsPerClient && !stop.IsCancellationRequested; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/items");
                request.Headers.ConnectionClose = newConnections;
                try
                {
                    using var response = await client.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref answered);
                    else failures.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue(e.ToString());
                }
            }
        }

        var load = Task.WhenAll(clients.Select(c => Task.Run(() => LoadAsync(c.Client, c.NewConnections))));
        foreach (var plan in plans.Skip(1))
        {
            await gateway.Host.ApplyAsync(GatewayCompiler.Compile([plan], Reloading(gateway.Backend.Port)));
            await Task.Delay(20);
        }
        await stop.CancelAsync();
        await load.WaitAsync(TimeSpan.FromMinutes(2));
        var last = await gateway.EchoAsync(clients[0].Client, new HttpRequestMessage(HttpMethod.Get, "/"));
        foreach (var (client, _) in clients) client.Dispose();
        var plansAlive = await HotSwapTests.PlansAliveSettledAsync(gateway.Host, expected: 1);

        Assert.Empty(failures);
        Assert.True(answered > Redeploys, $"only {answered} requests were answered");
        Assert.Equal($"localhost v{Redeploys} on 444", last.Header("X-Plan"));
        Assert.Single(gateway.Host.Endpoints);
        Assert.Equal(1, plansAlive);
    }

    /// <summary>
    /// Plan <paramref name="version"/>: its own rewrite mark and certificate; odd versions route by path and add an
    /// HTTP listener on another port, which the next version removes again.
    /// </summary>
    private static ApplicationGateway Plan(int version)
    {
        var template = Passthrough($"v{version}");
        var plan = template with
        {
            SslCertificates = [template.SslCertificates[0] with { Pfx = TestCertificates.ServerPfxFor("localhost", "gateway.test", $"v{version}.test") }],
        };
        if (version % 2 == 0) return plan;
        var rule = template.RequestRoutingRules[0];
        var map = new UrlPathMap(Id("urlPathMaps", "map"), "map", rule.BackendAddressPoolId, rule.BackendHttpSettingsId, rule.RewriteRuleSetId, null,
            [new PathRule(Id("urlPathMaps", "map/pathRules/api"), "api", ["/api/*"], rule.BackendAddressPoolId, rule.BackendHttpSettingsId, rule.RewriteRuleSetId, null)]);
        var extraPort = new FrontendPort(Id("frontendPorts", "extra"), "extra", ExtraPort);
        var extra = template.HttpListeners[0] with
        {
            Id = Id("httpListeners", "extra"), Name = "extra", FrontendPortId = extraPort.Id, Protocol = ListenerProtocol.Http,
            SslCertificateId = null, SslProfileId = null,
        };
        return plan with
        {
            UrlPathMaps = [map],
            FrontendPorts = [.. template.FrontendPorts, extraPort],
            HttpListeners = [.. template.HttpListeners, extra],
            RequestRoutingRules =
            [
                rule with { RuleType = RoutingRuleType.PathBasedRouting, BackendAddressPoolId = null, BackendHttpSettingsId = null, RewriteRuleSetId = null, UrlPathMapId = map.Id },
                rule with { Id = Id("requestRoutingRules", "extra"), Name = "extra", Priority = 3000, HttpListenerId = extra.Id },
            ],
        };
    }

    private static GatewayEnvironment Reloading(int backendPort) =>
        Environment(backendPort) with { PortMap = new Dictionary<int, int> { [TestGateways.FrontendPort] = 0, [ExtraPort] = 0 } };
}
