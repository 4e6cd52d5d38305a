using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Gateway.Observability;
using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Network.ApplicationGateways;
using Microsoft.Extensions.Logging.Abstractions;
using static Gatehouse.Gateway.Tests.Support.TestGateways;

namespace Gatehouse.Gateway.Tests;

/// <summary>
/// TCP and TLS listeners (listeners, routingRules, backendSettingsCollection): each connection is joined to a pool member
/// for its life, TLS terminated with the listener's certificate and SSL profile, logged once, and kept across redeploys.
/// </summary>
public sealed class Layer4Tests : IAsyncLifetime
{
    private const int TcpFrontendPort = 6379;
    private const int TlsFrontendPort = 5433;
    private const int TcpToTlsFrontendPort = 6380;
    private const string EchoHost = "echo.internal";
    private const string TlsEchoHost = "localhost";

    private readonly DirectoryInfo _logs = Directory.CreateTempSubdirectory("gatehouse-layer4-");
    private TcpEchoBackend _echo = null!;
    private TcpEchoBackend _tlsEcho = null!;
    private X509Certificate2 _backendCertificate = null!;
    private GatewayHost _host = null!;
    private bool _stopped;

    public async Task InitializeAsync()
    {
        _echo = TcpEchoBackend.Start("echo");
        _backendCertificate = X509CertificateLoader.LoadPkcs12(TestCertificates.ServerPfxFor(TlsEchoHost), TestCertificates.PfxPassword);
        _tlsEcho = TcpEchoBackend.Start("tls-echo", _backendCertificate);
        _host = new GatewayHost(NullLoggerFactory.Instance, [new RollingFileSink(LogFile, 1 << 20, 2)]);
        await _host.ApplyAsync(GatewayCompiler.Compile([Layer4()], Environment()));
    }

    private async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _host.DisposeAsync();
    }

    private string LogFile => Path.Combine(_logs.FullName, "access.log");

    [Fact]
    public async Task A_tcp_listener_relays_a_connection_to_its_pool_and_the_connection_survives_a_redeploy()
    {
        using var client = await ConnectAsync(TcpFrontendPort);
        var stream = client.GetStream();
        var before = await ExchangeAsync(stream, "ping\n", _echo.Greeting);

        await _host.ApplyAsync(GatewayCompiler.Compile([Layer4(timeoutSeconds: 30)], Environment()));
        var plansWhileHeld = _host.PlansAlive;
        var after = await ExchangeAsync(stream, "after the redeploy\n", "");
        using var fresh = await ConnectAsync(TcpFrontendPort);
        var onNewConnection = await ExchangeAsync(fresh.GetStream(), "new\n", _echo.Greeting);

        Assert.Equal(_echo.Greeting + "ping\n", before);
        Assert.Equal("after the redeploy\n", after);
        Assert.Equal(_echo.Greeting + "new\n", onNewConnection);
        // The retired plan lives on for the connection that started with it.
        Assert.Equal(2, plansWhileHeld);
    }

    [Fact]
    public async Task A_tcp_listener_passes_tls_through_untouched_so_the_client_sees_the_backends_certificate()
    {
        using var client = await ConnectAsync(TcpToTlsFrontendPort);
        await using var tls = new SslStream(client.GetStream());
        X509Certificate? served = null;
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = TlsEchoHost,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => (served = certificate) is not null,
        });

        var echoed = await ExchangeAsync(tls, "through\n", _tlsEcho.Greeting);

        Assert.Equal(_backendCertificate.Thumbprint, new X509Certificate2(served!).Thumbprint);
        Assert.Equal(_tlsEcho.Greeting + "through\n", echoed);
    }

    [Fact]
    public async Task A_tls_listener_with_strict_mutual_tls_relays_a_verified_client_to_a_tls_backend_and_logs_the_connection()
    {
        string echoed;
        await using (var tls = await HandshakeAsync(TestCertificates.ValidClient))
            echoed = await ExchangeAsync(tls, "secure\n", _tlsEcho.Greeting);
        // Stopping writes every queued line.
        await StopAsync();

        var entry = Assert.Single(ReadLog(), e => (string?)e["listenerName"] == "tlsListener");
        var properties = entry["properties"]!;
        Assert.Equal(_tlsEcho.Greeting + "secure\n", echoed);
        Assert.Equal(("tlsRule", "tlsPool", "tlsSettings"), ((string?)entry["ruleName"], (string?)entry["backendPoolName"], (string?)entry["backendSettingName"]));
        Assert.Equal(("SUCCESS", TestCertificates.ValidClient.Thumbprint.ToLowerInvariant()),
            ((string?)properties["sslClientVerify"], (string?)properties["sslClientCertificateFingerprint"]));
        Assert.Equal(("on", "ERRORINFO_NO_ERROR"), ((string?)properties["sslEnabled"], (string?)properties["error_info"]));
        Assert.Equal($"127.0.0.1:{_tlsEcho.Port}", (string?)properties["serverRouted"]);
        Assert.Equal("secure\n".Length, (long)properties["receivedBytes"]!);
        Assert.Equal((_tlsEcho.Greeting + "secure\n").Length, (long)properties["sentBytes"]!);
        Assert.Equal(("", 0), ((string?)properties["httpMethod"], (int)properties["httpStatus"]!));
    }

    [Fact]
    public async Task A_tls_listener_with_strict_mutual_tls_closes_a_connection_without_a_trusted_certificate_before_any_backend()
    {
        var read = new List<int>();
        foreach (var certificate in new[] { null, TestCertificates.SelfSignedClient })
        {
            await using var tls = await HandshakeAsync(certificate);
            read.Add(await tls.ReadAsync(new byte[64]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        }
        await StopAsync();

        Assert.Equal([0, 0], read);
        var entries = ReadLog().Where(e => (string?)e["listenerName"] == "tlsListener").Select(e => e["properties"]!).ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(("ERRORINFO_HTTPS_NO_CERT", "", 0L),
            ((string?)e["error_info"], (string?)e["serverRouted"], (long)e["sentBytes"]!)));
        Assert.All(entries, e => Assert.StartsWith("FAILED:", (string?)e["sslClientVerify"]));
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_the_backend_settings_timeout()
    {
        await _host.ApplyAsync(GatewayCompiler.Compile([Layer4(timeoutSeconds: 1)], Environment()));
        using var client = await ConnectAsync(TcpFrontendPort);
        var stream = client.GetStream();
        await ExchangeAsync(stream, "hello\n", _echo.Greeting);

        var read = await stream.ReadAsync(new byte[64]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, read);
    }

    [Fact]
    public async Task A_tcp_probe_takes_a_member_that_refuses_connections_out_and_every_connection_goes_to_the_other()
    {
        var closed = ClosedPort();
        var gateway = Layer4() with
        {
            BackendAddressPools = [.. Layer4().BackendAddressPools.Select(p => p.Name == "tcpPool"
                ? p with { BackendAddresses = [new BackendAddress(EchoHost, null), new BackendAddress("dead.internal", null)] }
                : p)],
            Probes = [new Probe(Id("probes", "tcpProbe"), "tcpProbe", ListenerProtocol.Tcp, null, "/", 1, 1, 1, false, 0, new ProbeMatch(null, []), null)],
            BackendSettingsCollection = [.. Layer4().BackendSettingsCollection.Select(s => s.Name == "tcpSettings" ? s with { ProbeId = Id("probes", "tcpProbe") } : s)],
        };
        await _host.ApplyAsync(GatewayCompiler.Compile([gateway], Environment(("dead.internal", $"127.0.0.1:{closed}"))));
        await PollAsync(() => _host.BackendHealth(GatewayId).BackendAddressPools
            .Single(p => p.BackendAddressPool.Id.EndsWith("/tcpPool", StringComparison.Ordinal)).BackendHttpSettingsCollection.Single()
            .Servers.Select(s => s.Health).Order().SequenceEqual(["Down", "Up"]));

        var greetings = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var client = await ConnectAsync(TcpFrontendPort);
            greetings.Add(await ExchangeAsync(client.GetStream(), "", _echo.Greeting));
        }

        Assert.All(greetings, g => Assert.Equal(_echo.Greeting, g));
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        await _echo.DisposeAsync();
        await _tlsEcho.DisposeAsync();
        _backendCertificate.Dispose();
        _logs.Delete(recursive: true);
    }

    /// <summary>
    /// The Strict test gateway plus a TCP listener to the echo service, and a TLS listener (Strict client authentication)
    /// to the TLS echo service over TLS settings that trust the test server CA. <c>tcpToTls</c> is a second TCP listener, on
    /// its own port, in front of the TLS echo service.
    /// </summary>
    private static ApplicationGateway Layer4(int timeoutSeconds = 60)
    {
        var gateway = Strict();
        var frontend = gateway.FrontendIpConfigurations[0].Id;
        return gateway with
        {
            FrontendPorts = [.. gateway.FrontendPorts,
                new FrontendPort(Id("frontendPorts", "tcp"), "tcp", TcpFrontendPort),
                new FrontendPort(Id("frontendPorts", "tls"), "tls", TlsFrontendPort),
                new FrontendPort(Id("frontendPorts", "tcpToTls"), "tcpToTls", TcpToTlsFrontendPort)],
            BackendAddressPools = [.. gateway.BackendAddressPools,
                new BackendAddressPool(Id("backendAddressPools", "tcpPool"), "tcpPool", [new BackendAddress(EchoHost, null)]),
                new BackendAddressPool(Id("backendAddressPools", "tlsPool"), "tlsPool", [new BackendAddress(TlsEchoHost, null)])],
            TrustedRootCertificates = [new TrustedRootCertificate(Id("trustedRootCertificates", "serverCa"), "serverCa",
                TestCertificates.ServerCa.ExportCertificatePem(), null)],
            Listeners =
            [
                new Listener(Id("listeners", "tcpListener"), "tcpListener", frontend, Id("frontendPorts", "tcp"), ListenerProtocol.Tcp, [], null, null),
                new Listener(Id("listeners", "tlsListener"), "tlsListener", frontend, Id("frontendPorts", "tls"), ListenerProtocol.Tls, [],
                    CertificateId, gateway.SslProfiles[0].Id),
                new Listener(Id("listeners", "tcpToTls"), "tcpToTls", frontend, Id("frontendPorts", "tcpToTls"), ListenerProtocol.Tcp, [], null, null),
            ],
            BackendSettingsCollection =
            [
                new BackendSettings(Id("backendSettingsCollection", "tcpSettings"), "tcpSettings", 7000, ListenerProtocol.Tcp, timeoutSeconds, null, [], null, false),
                new BackendSettings(Id("backendSettingsCollection", "tlsSettings"), "tlsSettings", 7001, ListenerProtocol.Tls, timeoutSeconds, null,
                    [Id("trustedRootCertificates", "serverCa")], null, true),
                new BackendSettings(Id("backendSettingsCollection", "tcpToTlsSettings"), "tcpToTlsSettings", 7001, ListenerProtocol.Tcp, timeoutSeconds, null, [], null, false),
            ],
            RoutingRules =
            [
                new RoutingRule(Id("routingRules", "tcpRule"), "tcpRule", 10, Id("listeners", "tcpListener"), Id("backendAddressPools", "tcpPool"),
                    Id("backendSettingsCollection", "tcpSettings")),
                new RoutingRule(Id("routingRules", "tlsRule"), "tlsRule", 20, Id("listeners", "tlsListener"), Id("backendAddressPools", "tlsPool"),
                    Id("backendSettingsCollection", "tlsSettings")),
                new RoutingRule(Id("routingRules", "tcpToTlsRule"), "tcpToTlsRule", 30, Id("listeners", "tcpToTls"), Id("backendAddressPools", "tlsPool"),
                    Id("backendSettingsCollection", "tcpToTlsSettings")),
            ],
        };
    }

    private GatewayEnvironment Environment(params (string Name, string Address)[] more) => new(
        new Dictionary<string, string>(more.Select(m => KeyValuePair.Create(m.Name, m.Address)))
        {
            [BackendFqdn] = "127.0.0.1:1",
            [EchoHost] = $"127.0.0.1:{_echo.Port}",
            [TlsEchoHost] = $"127.0.0.1:{_tlsEcho.Port}",
        },
        new Dictionary<int, int> { [TestGateways.FrontendPort] = 0, [TcpFrontendPort] = 0, [TlsFrontendPort] = 0, [TcpToTlsFrontendPort] = 0 },
        IPAddress.Loopback);

    private async Task<TcpClient> ConnectAsync(int frontendPort)
    {
        var endpoint = _host.Endpoints.First(e => e.FrontendPort == frontendPort);
        var client = new TcpClient();
        await client.ConnectAsync(endpoint.LocalEndPoint);
        return client;
    }

    private async Task<SslStream> HandshakeAsync(X509Certificate2? clientCertificate)
    {
        var client = await ConnectAsync(TlsFrontendPort);
        var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "gateway.test",
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is X509Certificate2 served && served.Issuer == TestCertificates.ServerCa.Subject,
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
        });
        return tls;
    }

    /// <summary>Sends <paramref name="message"/> and reads until the greeting (when expected) and the echo of it have come.</summary>
    private static async Task<string> ExchangeAsync(Stream stream, string message, string greeting)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(message));
        var expected = greeting.Length + message.Length;
        var received = new StringBuilder();
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.Length < expected)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) break;
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return received.ToString();
    }

    private List<JsonNode> ReadLog() => [.. File.ReadAllLines(LogFile).Select(line => JsonNode.Parse(line)!)];

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task PollAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}
