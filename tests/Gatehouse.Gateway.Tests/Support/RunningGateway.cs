using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Network.ApplicationGateways;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Gateway.Tests.Support;

/// <summary>A gateway host serving one plan against an echo backend, with clients that connect over loopback.</summary>
public sealed class RunningGateway : IAsyncDisposable
{
    private RunningGateway(GatewayHost host, EchoBackend backend)
    {
        Host = host;
        Backend = backend;
    }

    public GatewayHost Host { get; }

    public EchoBackend Backend { get; }

    public PemFiles Files { get; } = new();

    public int Port => Host.Endpoints.Single(e => e.FrontendPort == TestGateways.FrontendPort).LocalEndPoint.Port;

    public static async Task<RunningGateway> StartAsync(Func<int, (ApplicationGateway Gateway, GatewayEnvironment Environment)> configure)
    {
        var backend = await EchoBackend.StartAsync();
        var (gateway, environment) = configure(backend.Port);
        var host = new GatewayHost(NullLoggerFactory.Instance);
        await host.ApplyAsync(GatewayCompiler.Compile([gateway], environment));
        return new RunningGateway(host, backend);
    }

    /// <summary>
    /// An HttpClient that connects to the gateway's loopback port whatever the URL's host, pins the test
    /// server certificate, and presents <paramref name="clientCertificate"/> when one is given.
    /// </summary>
    public HttpClient Client(X509Certificate2? clientCertificate = null, Action? onConnect = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                onConnect?.Invoke();
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is X509Certificate2 served && served.Issuer == TestCertificates.ServerCa.Subject,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{Port}/") };
    }

    public async Task<EchoedRequest> EchoAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return EchoedRequest.Parse(body);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Backend.DisposeAsync();
        Files.Dispose();
    }
}
