using System.Net;
using Gatehouse.Gateway.Backends;
using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Network.ApplicationGateways;
using Microsoft.Extensions.Logging.Abstractions;
using static Gatehouse.Gateway.Tests.Support.TestGateways;

namespace Gatehouse.Gateway.Tests;

/// <summary>
/// A pool member given by FQDN, resolved through a DNS server the test runs, as Azure resolves it (appgw-behaviour §5.7):
/// the answer kept for its TTL then asked for again, so traffic follows a changed answer without a redeploy; the last
/// good answer kept when the server stops answering; several addresses shared by the requests.
/// </summary>
public sealed class BackendNameTests : IAsyncLifetime
{
    private const string MemberName = "app.example.test";
    private const int MaxRequests = 400;
    private static readonly TimeSpan PollFor = TimeSpan.FromSeconds(30);
    private static readonly IPAddress Second = IPAddress.Parse("127.0.0.2");

    private readonly DnsResponder _dns = new(MemberName, IPAddress.Loopback);
    private TestBackend _one = null!;
    private TestBackend _two = null!;
    private GatewayHost _host = null!;

    public async Task InitializeAsync()
    {
        // Both on one port, as an A record carries no port: the settings' port reaches either address.
        _one = await TestBackend.StartAsync("one");
        _two = await TestBackend.StartAsync("two", address: Second, port: _one.Port);
        var template = Passthrough();
        // Probes every second on their own path, apart from the requests the backends count.
        var probe = new Probe(Id("probes", "health"), "health", ListenerProtocol.Http, "127.0.0.1", TestBackend.ProbePath, 1, 5, 1, false, 0,
            new ProbeMatch(null, ["200-399"]), null);
        var gateway = template with
        {
            Probes = [probe],
            BackendAddressPools = [template.BackendAddressPools[0] with { BackendAddresses = [new BackendAddress(MemberName, null)] }],
            BackendHttpSettingsCollection = [template.BackendHttpSettingsCollection[0] with { Port = _one.Port, ProbeId = probe.Id }],
            RewriteRuleSets = [],
            RequestRoutingRules = [template.RequestRoutingRules[0] with { RewriteRuleSetId = null }],
        };
        var environment = new GatewayEnvironment(new Dictionary<string, string>(), new Dictionary<int, int> { [TestGateways.FrontendPort] = 0 }, IPAddress.Loopback)
        {
            BackendNames = new BackendNames(_dns.EndPoint, NullLogger.Instance),
        };
        _host = new GatewayHost(NullLoggerFactory.Instance);
        await _host.ApplyAsync(GatewayCompiler.Compile([gateway], environment));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _one.DisposeAsync();
        await _two.DisposeAsync();
        await _dns.DisposeAsync();
    }

    [Fact]
    public async Task Traffic_follows_a_changed_DNS_answer_once_its_TTL_has_passed_without_a_redeploy()
    {
        using var client = Client();
        Assert.Equal("one", await ServedByAsync(client));
        Assert.Equal(1, _one.ServingConnections);

        _dns.Addresses = [Second];
        var servedBy = new List<string>();
        await PollAsync(async () => (await ServedByAsync(client)) == "two");
        for (var i = 0; i < 4; i++) servedBy.Add(await ServedByAsync(client));

        Assert.All(servedBy, s => Assert.Equal("two", s));
        // The keep-alive connection to the address that left the answer is closed, not kept idle.
        await PollAsync(() => Task.FromResult(_one.ServingConnections == 0));
    }

    [Fact]
    public async Task A_DNS_server_that_stops_answering_leaves_the_last_address_serving()
    {
        using var client = Client();
        Assert.Equal("one", await ServedByAsync(client));

        _dns.Answering = false;
        var servedBy = new List<string>();
        // Past the TTL, a failed question (both records, each asked twice), the wait before the next, and that one too.
        for (var i = 0; i < MaxRequests && _dns.Unanswered < 8; i++)
        {
            servedBy.Add(await ServedByAsync(client));
            await Task.Delay(50);
        }

        Assert.True(_dns.Unanswered >= 8, $"DNS was asked {_dns.Unanswered} times while silent");
        Assert.All(servedBy, s => Assert.Equal("one", s));
    }

    [Fact]
    public async Task A_name_with_several_addresses_spreads_the_requests_over_them()
    {
        _dns.Addresses = [IPAddress.Loopback, Second];
        using var client = Client();

        var servedBy = new HashSet<string>();
        await PollAsync(async () => servedBy.Add(await ServedByAsync(client)) && servedBy.Count == 2);

        Assert.Equal(["one", "two"], servedBy.Order());
    }

    private HttpClient Client()
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is System.Security.Cryptography.X509Certificates.X509Certificate2 served && served.Issuer == TestCertificates.ServerCa.Subject },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{_host.Endpoints.Single().LocalEndPoint.Port}/") };
    }

    private static async Task<string> ServedByAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/");
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.GetValues("X-Served-By").Single();
    }

    /// <summary>Polls until <paramref name="condition"/> holds: at most <see cref="MaxRequests"/> tries over <see cref="PollFor"/>.</summary>
    private static async Task PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + PollFor;
        for (var i = 0; i < MaxRequests && DateTime.UtcNow < deadline; i++)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        Assert.Fail("The condition did not hold in time.");
    }
}
