using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Gateway.Hosting;
using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Network.ApplicationGateways;
using Microsoft.Extensions.Logging.Abstractions;
using static Gatehouse.Gateway.Tests.Support.TestGateways;

namespace Gatehouse.Gateway.Tests;

/// <summary>
/// Pools of real backends: round robin over healthy members, probes and passive detection, backend health,
/// timeouts with one retry, cookie affinity and connection draining (appgw-behaviour §3, §5.7-§5.9, §6).
/// </summary>
public sealed class BackendTests : IAsyncLifetime
{
    private static readonly TimeSpan PollFor = TimeSpan.FromSeconds(20);

    private readonly List<TestBackend> _backends = [];
    private GatewayHost? _host;
    private X509Certificate2? _backendCertificate;

    private GatewayHost Host => _host!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        foreach (var backend in _backends) await backend.DisposeAsync();
        _backendCertificate?.Dispose();
    }

    [Fact]
    public async Task Requests_take_the_members_in_turn()
    {
        await StartAsync(Pool("a", "b"));
        using var client = Client();

        var servedBy = new List<string>();
        for (var i = 0; i < 4; i++) servedBy.Add(await ServedByAsync(client));

        Assert.Equal(2, servedBy.Count(s => s == "a"));
        Assert.Equal(2, servedBy.Count(s => s == "b"));
        Assert.NotEqual(servedBy[0], servedBy[1]);
    }

    [Fact]
    public async Task Weighted_round_robin_gives_each_member_its_weight_in_turns()
    {
        await StartSpreadAsync(LoadDistributionAlgorithm.RoundRobin, ("a", 3), ("b", 1));
        using var client = Client();

        var servedBy = new List<string>();
        for (var i = 0; i < 8; i++) servedBy.Add(await ServedByAsync(client));

        Assert.Equal(6, servedBy.Count(s => s == "a"));
        Assert.Equal(2, servedBy.Count(s => s == "b"));
        // Interleaved, not three a's in a row then b.
        Assert.Equal(servedBy[..4], servedBy[4..]);
        Assert.Contains("b", servedBy[..4]);
        // Backend health shows each member under its own pool.
        Assert.Equal(["a", "b"], Host.BackendHealth(GatewayId).BackendAddressPools.Select(p => Network.ResourceIds.LastSegment(p.BackendAddressPool.Id)));
    }

    [Fact]
    public async Task Least_connections_sends_new_requests_to_the_idle_member_while_the_other_serves_a_slow_one()
    {
        await StartSpreadAsync(LoadDistributionAlgorithm.LeastConnections, ("a", 1), ("b", 1));
        using var client = Client();
        await PollAsync(() => Task.FromResult(Servers().All(s => s.Health == "Up")));

        var slow = client.GetAsync(TestBackend.HeldPath);
        await PollAsync(() => Task.FromResult(Backend("a").Held + Backend("b").Held == 1));
        var (busy, idle) = Backend("a").Held == 1 ? ("a", "b") : ("b", "a");
        var servedBy = new List<string>();
        for (var i = 0; i < 6; i++) servedBy.Add(await ServedByAsync(client));
        Backend(busy).ReleaseHeld();
        using var slowResponse = await slow;

        Assert.All(servedBy, s => Assert.Equal(idle, s));
        Assert.Equal(busy, slowResponse.Headers.GetValues("X-Served-By").Single());
        // Idle again, the two share the requests.
        var after = new List<string>();
        for (var i = 0; i < 4; i++) after.Add(await ServedByAsync(client));
        Assert.Equal(2, after.Count(s => s == busy));
    }

    [Fact]
    public async Task Ip_hash_keeps_a_client_on_one_member_and_moves_it_only_when_that_member_is_down()
    {
        await StartSpreadAsync(LoadDistributionAlgorithm.IpHash, ("a", 1), ("b", 1), ("c", 1));
        await PollAsync(() => Task.FromResult(Servers().All(s => s.Health == "Up")));

        var servedBy = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var client = Client(); // a new connection each time: the address, not the connection, decides
            servedBy.Add(await ServedByAsync(client));
        }
        var home = servedBy[0];
        await Backend(home).StopAsync();
        await PollAsync(() => Task.FromResult(Server(home).Health == "Down"));
        var moved = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var client = Client();
            moved.Add(await ServedByAsync(client));
        }

        Assert.All(servedBy, s => Assert.Equal(home, s));
        Assert.Single(moved.Distinct());
        Assert.NotEqual(home, moved[0]);
    }

    [Fact]
    public async Task A_killed_member_is_marked_down_traffic_moves_away_502_when_none_is_left_and_back_when_it_returns()
    {
        await StartAsync(Pool("a", "b"));
        using var client = Client();
        await PollAsync(() => Task.FromResult(Servers().All(s => s.Health == "Up")));

        await Backend("b").StopAsync();
        var afterKill = new List<string>();
        for (var i = 0; i < 4; i++) afterKill.Add(await ServedByAsync(client));
        await PollAsync(() => Task.FromResult(Server("b").Health == "Down"));

        await Backend("a").StopAsync();
        using var none = await client.GetAsync("/");
        await Backend("a").StartAsync();
        await PollAsync(async () =>
        {
            using var response = await client.GetAsync("/");
            return response.StatusCode == HttpStatusCode.OK;
        });

        Assert.All(afterKill, s => Assert.Equal("a", s));
        Assert.Contains("could not connect to the backend", Server("b").HealthProbeLog);
        Assert.Equal(HttpStatusCode.BadGateway, none.StatusCode);
        Assert.Equal("a", await ServedByAsync(client));
    }

    [Fact]
    public async Task Concurrent_picks_always_find_the_member_left_when_the_other_is_down()
    {
        foreach (var name in new[] { "a", "b" }) _backends.Add(await TestBackend.StartAsync(name));
        await Backend("b").StopAsync();
        var plan = GatewayCompiler.Compile([Gateway(Pool("a", "b"), false, null, null, 20)], Environment());
        using var client = new HttpMessageInvoker(new SocketsHttpHandler());
        await using var cluster = new ClusterState(plan.Clusters[0], client, plan.Clusters[0].Tls, TimeProvider.System);
        await PollAsync(() => Task.FromResult(cluster.Report().Select(m => m.Health).Order().SequenceEqual([MemberHealth.Up, MemberHealth.Down])));

        // Four threads picking at once, as concurrent requests do: every pick must find a, whatever the others pick.
        var misses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var missed = 0;
            for (var i = 0; i < 1_000_000; i++)
                if (cluster.Next() is null) missed++;
            return missed;
        })));

        Assert.Equal(0, misses.Sum());
    }

    [Fact]
    public async Task A_probe_that_gets_the_wrong_status_or_body_reports_Azures_message_and_recovers()
    {
        await StartAsync(Pool("a", "b") with { Body = "fine" });
        using var client = Client();
        await PollAsync(() => Task.FromResult(Servers().All(s => s.Health == "Up")));

        Backend("a").ProbeStatus = 503;
        await PollAsync(() => Task.FromResult(Server("a").Health == "Down"));
        var servedBy = new List<string>();
        for (var i = 0; i < 3; i++) servedBy.Add(await ServedByAsync(client));
        Backend("a").ProbeStatus = 200;
        await PollAsync(() => Task.FromResult(Server("a").Health == "Up"));

        Assert.All(servedBy, s => Assert.Equal("b", s));
        Assert.Equal("Success. Received 200 status code", Server("a").HealthProbeLog);
    }

    [Fact]
    public async Task The_health_report_has_the_shape_of_Azures_backendhealth_body()
    {
        await StartAsync(Pool("a"));
        await PollAsync(() => Task.FromResult(Servers().All(s => s.Health == "Up")));

        var report = Host.BackendHealth(GatewayId);

        var pool = Assert.Single(report.BackendAddressPools);
        Assert.Equal(Id("backendAddressPools", "pool2"), pool.BackendAddressPool.Id);
        var settings = Assert.Single(pool.BackendHttpSettingsCollection);
        Assert.Equal(Id("backendHttpSettingsCollection", "settings2"), settings.BackendHttpSettings.Id);
        Assert.Equal("a.backend.test", Assert.Single(settings.Servers).Address);
        Assert.Empty(Host.BackendHealth(GatewayId.Replace("mtlsAppGw", "other")).BackendAddressPools);
    }

    [Fact]
    public async Task A_timeout_is_retried_once_on_another_member_then_answered_with_504()
    {
        await StartAsync(Pool("slow", "fast"), requestTimeoutSeconds: 1);
        Backend("slow").Delay = TimeSpan.FromSeconds(10);
        using var client = Client();

        var servedBy = new List<string>();
        for (var i = 0; i < 2; i++) servedBy.Add(await ServedByAsync(client));
        Backend("fast").Delay = TimeSpan.FromSeconds(10);
        using var timedOut = await client.GetAsync("/");

        Assert.All(servedBy, s => Assert.Equal("fast", s));
        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
    }

    [Fact]
    public async Task A_request_without_a_body_whose_connection_the_backend_drops_is_retried_once_on_another_member()
    {
        await StartAsync(Pool("crashing", "fine"));
        Backend("crashing").DropsRequests = true;
        using var client = Client();

        var servedBy = new List<string>();
        for (var i = 0; i < 4; i++) servedBy.Add(await ServedByAsync(client));
        // A body cannot be sent twice: one of two requests in turn meets the crashing member and stays failed.
        var posted = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.PostAsync("/", new StringContent("body"));
            posted.Add(response.StatusCode);
        }
        Backend("fine").DropsRequests = true;
        using var bothDropped = await client.GetAsync("/");

        Assert.All(servedBy, s => Assert.Equal("fine", s));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.BadGateway], posted.Order());
        Assert.Equal(HttpStatusCode.BadGateway, bothDropped.StatusCode);
    }

    [Theory]
    [InlineData(null, "ApplicationGatewayAffinity")]
    [InlineData("Sticky", "Sticky")]
    public async Task Affinity_cookies_bind_a_client_to_its_member(string? cookieName, string expectedName)
    {
        await StartAsync(Pool("a", "b"), affinity: true, affinityCookieName: cookieName);
        using var client = Client();

        using var first = await client.GetAsync("/");
        var cookies = first.Headers.GetValues("Set-Cookie").ToList();
        var value = cookies.Single(c => c.StartsWith(expectedName + "=")).Split(';')[0][(expectedName.Length + 1)..];
        var bound = first.Headers.GetValues("X-Served-By").Single();
        var again = new List<string>();
        for (var i = 0; i < 3; i++) again.Add(await ServedByAsync(client, $"{expectedName}={value}"));
        var viaCors = await ServedByAsync(client, $"{expectedName}CORS={value}");

        Assert.Equal($"{expectedName}={value}; Path=/", cookies.Single(c => c.StartsWith(expectedName + "=")));
        Assert.Equal($"{expectedName}CORS={value}; Path=/; SameSite=None; Secure", cookies.Single(c => c.StartsWith(expectedName + "CORS=")));
        Assert.Matches("^[0-9a-f]{32}$", value);
        Assert.All(again, s => Assert.Equal(bound, s));
        Assert.Equal(bound, viaCors);
    }

    [Fact]
    public async Task A_member_removed_by_a_redeploy_keeps_its_affinity_sessions_while_it_drains()
    {
        var pool = Pool("a", "b");
        await StartAsync(pool, affinity: true, drainSeconds: 600);
        using var client = Client();
        // Round robin binds one of two fresh clients to b.
        var cookie = "";
        for (var i = 0; i < 2 && cookie.Length == 0; i++)
        {
            using var response = await client.GetAsync("/");
            if (response.Headers.GetValues("X-Served-By").Single() == "b") cookie = response.Headers.GetValues("Set-Cookie").First().Split(';')[0];
        }

        await Host.ApplyAsync(GatewayCompiler.Compile([Gateway(pool with { Members = ["a"] }, true, null, 600, 20)], Environment()));
        var stillB = await ServedByAsync(client, cookie);
        var newcomer = await ServedByAsync(client);

        Assert.Equal("b", stillB);
        Assert.Equal("a", newcomer);
        Assert.Contains(Servers(), s => s.Address == "b.backend.test" && s.Health == "Draining");
    }

    [Theory]
    [InlineData("secure.backend.test", HttpStatusCode.OK)]
    [InlineData("wrong.test", HttpStatusCode.BadGateway)]
    public async Task An_sniName_is_the_name_sent_and_checked_while_the_Host_stays(string sniName, HttpStatusCode expected)
    {
        await StartHttpsAsync(settings => settings with { HostName = "site.test", SniName = sniName, TrustedRootCertificateIds = [TestRoot.Id] });
        using var client = Client();

        using var response = await client.GetAsync("/");

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK) Assert.Equal("site.test", EchoedRequest.Parse(await response.Content.ReadAsStringAsync()).Header("Host"));
    }

    [Theory]
    [InlineData(true, true, true, "secure.backend.test", HttpStatusCode.OK)]
    [InlineData(false, true, true, "secure.backend.test", HttpStatusCode.BadGateway)]
    [InlineData(false, false, true, "secure.backend.test", HttpStatusCode.OK)]
    [InlineData(true, true, true, "other.test", HttpStatusCode.BadGateway)]
    [InlineData(true, true, false, "other.test", HttpStatusCode.OK)]
    public async Task An_Https_backend_is_trusted_through_trustedRootCertificates_and_its_name(bool trustRoot, bool validateChain, bool validateSni,
        string hostName, HttpStatusCode expected)
    {
        await StartHttpsAsync(settings => settings with
        {
            HostName = hostName,
            TrustedRootCertificateIds = trustRoot ? [TestRoot.Id] : [],
            ValidateCertChainAndExpiry = validateChain,
            ValidateSni = validateSni,
        });
        using var client = Client();

        using var response = await client.GetAsync("/");

        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>The test server CA, which the machine's store does not trust.</summary>
    private static readonly TrustedRootCertificate TestRoot =
        new(Id("trustedRootCertificates", "testCa"), "testCa", Convert.ToBase64String(TestCertificates.ServerCa.RawData), null);

    /// <summary>One Https member, <c>secure</c>, whose certificate names secure.backend.test; the gateway offers <see cref="TestRoot"/>.</summary>
    private async Task StartHttpsAsync(Func<BackendHttpSettings, BackendHttpSettings> settings)
    {
        // Kept until the backend stops: its handshakes use it.
        _backendCertificate = X509CertificateLoader.LoadPkcs12(TestCertificates.ServerPfxFor("secure.backend.test"), TestCertificates.PfxPassword);
        await StartAsync(Pool("secure"), backendCertificate: _backendCertificate, change: gateway => gateway with
        {
            TrustedRootCertificates = [TestRoot],
            BackendHttpSettingsCollection = [settings(gateway.BackendHttpSettingsCollection[0] with { Protocol = ListenerProtocol.Https })],
            Probes = [gateway.Probes[0] with { Protocol = ListenerProtocol.Https, Host = null, PickHostNameFromBackendHttpSettings = true }],
        });
    }

    /// <summary>Members named <c>NAME.backend.test</c>, probed every second on <see cref="TestBackend.ProbePath"/>, down after one failure.</summary>
    private static PoolSpec Pool(params string[] members) => new(members, null);

    private async Task StartAsync(PoolSpec pool, bool affinity = false, string? affinityCookieName = null, int? drainSeconds = null,
        int requestTimeoutSeconds = 20, X509Certificate2? backendCertificate = null, Func<ApplicationGateway, ApplicationGateway>? change = null)
    {
        foreach (var name in pool.Members) _backends.Add(await TestBackend.StartAsync(name, backendCertificate));
        _host = new GatewayHost(NullLoggerFactory.Instance);
        var gateway = Gateway(pool, affinity, affinityCookieName, drainSeconds, requestTimeoutSeconds);
        await Host.ApplyAsync(GatewayCompiler.Compile([change is null ? gateway : change(gateway)], Environment()));
    }

    /// <summary>The rule spreads over a load distribution policy: one pool per member (NAME), each target with its weight.</summary>
    private async Task StartSpreadAsync(LoadDistributionAlgorithm algorithm, params (string Member, int Weight)[] targets)
    {
        var policyId = Id("loadDistributionPolicies", "spread");
        await StartAsync(Pool([.. targets.Select(t => t.Member)]), change: gateway => gateway with
        {
            BackendAddressPools = [.. targets.Select(t => new BackendAddressPool(Id("backendAddressPools", t.Member), t.Member, [new BackendAddress($"{t.Member}.backend.test", null)]))],
            LoadDistributionPolicies = [new LoadDistributionPolicy(policyId, "spread", algorithm,
                [.. targets.Select(t => new LoadDistributionTarget($"{policyId}/loadDistributionTargets/{t.Member}", t.Member, t.Weight, Id("backendAddressPools", t.Member)))])],
            RequestRoutingRules = [gateway.RequestRoutingRules[0] with { BackendAddressPoolId = null, LoadDistributionPolicyId = policyId }],
        });
    }

    private static ApplicationGateway Gateway(PoolSpec pool, bool affinity, string? affinityCookieName, int? drainSeconds, int requestTimeoutSeconds)
    {
        var template = Passthrough();
        var probe = new Probe(Id("probes", "health"), "health", ListenerProtocol.Http, "127.0.0.1", TestBackend.ProbePath, 1, 5, 1, false, 0,
            new ProbeMatch(pool.Body, ["200-399"]), null);
        return template with
        {
            Probes = [probe],
            BackendAddressPools = [template.BackendAddressPools[0] with { BackendAddresses = [.. pool.Members.Select(m => new BackendAddress($"{m}.backend.test", null))] }],
            BackendHttpSettingsCollection = [template.BackendHttpSettingsCollection[0] with
            {
                RequestTimeoutSeconds = requestTimeoutSeconds,
                ProbeId = probe.Id,
                CookieBasedAffinity = affinity,
                AffinityCookieName = affinityCookieName,
                ConnectionDraining = drainSeconds is { } seconds ? new ConnectionDraining(true, seconds) : null,
            }],
            RewriteRuleSets = [],
            RequestRoutingRules = [template.RequestRoutingRules[0] with { RewriteRuleSetId = null }],
        };
    }

    private GatewayEnvironment Environment() => new(
        _backends.ToDictionary(b => $"{b.Name}.backend.test", b => $"127.0.0.1:{b.Port}"),
        new Dictionary<int, int> { [TestGateways.FrontendPort] = 0 },
        IPAddress.Loopback);

    private TestBackend Backend(string name) => _backends.Single(b => b.Name == name);

    private IReadOnlyList<BackendServerHealth> Servers() =>
        [.. Host.BackendHealth(GatewayId).BackendAddressPools.SelectMany(p => p.BackendHttpSettingsCollection).SelectMany(s => s.Servers)];

    private BackendServerHealth Server(string name) => Servers().Single(s => s.Address == $"{name}.backend.test");

    private HttpClient Client()
    {
        var port = Host.Endpoints.Single().LocalEndPoint.Port;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is System.Security.Cryptography.X509Certificates.X509Certificate2 served && served.Issuer == TestCertificates.ServerCa.Subject },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{port}/") };
    }

    private static async Task<string> ServedByAsync(HttpClient client, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.GetValues("X-Served-By").Single();
    }

    /// <summary>Polls until <paramref name="condition"/> holds: at most 200 tries over <see cref="PollFor"/>.</summary>
    private static async Task PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + PollFor;
        for (var i = 0; i < 200 && DateTime.UtcNow < deadline; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("The condition did not hold in time.");
    }

    private sealed record PoolSpec(string[] Members, string? Body);
}
