using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Gateway.Observability;
using Gatehouse.Network.ApplicationGateways;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;
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

    /// <summary>The local port serving frontend port 444, which every listener of a test gateway shares.</summary>
    public int Port => Host.Endpoints.Where(e => e.FrontendPort == TestGateways.FrontendPort).Select(e => e.LocalEndPoint.Port).Distinct().Single();

    public static async Task<RunningGateway> StartAsync(Func<int, (ApplicationGateway Gateway, GatewayEnvironment Environment)> configure,
        IReadOnlyList<IAccessLogSink>? accessLog = null, IReadOnlyList<WafPolicy>? policies = null, IReadOnlyList<IAccessLogSink>? firewallLog = null,
        HttpForwarding forwarding = HttpForwarding.Lean)
    {
        var backend = await EchoBackend.StartAsync();
        var (gateway, environment) = configure(backend.Port);
        var host = new GatewayHost(NullLoggerFactory.Instance, accessLog, firewallLog, forwarding: forwarding);
        await host.ApplyAsync(GatewayCompiler.Compile([gateway], environment, policies));
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
            // Tests see the gateway's redirects themselves.
            AllowAutoRedirect = false,
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

    /// <summary>
    /// Runs one curl with a transfer per entry of <paramref name="transfers"/> (joined with <c>--next</c>, so curl
    /// reuses its connection when it can). Every transfer connects to this gateway whatever its URL's host, trusts
    /// the test server CA, and reports its status and whether it opened a connection.
    /// </summary>
    public async Task<IReadOnlyList<CurlResponse>> CurlAsync(params string[][] transfers)
    {
        string[] common = ["-sS", "--cacert", Files.ServerCa, "--connect-to", $"::127.0.0.1:{Port}", "-w", $"\n{CurlResponse.Marker} %{{http_code}} %{{num_connects}}\n"];
        var arguments = transfers.SelectMany((t, i) => i == 0 ? [.. common, .. t] : (string[])["--next", .. common, .. t]).ToArray();
        var result = await Tool.RunAsync("curl", arguments);
        return CurlResponse.Parse(result);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Backend.DisposeAsync();
        Files.Dispose();
    }
}

/// <summary>One transfer of <see cref="RunningGateway.CurlAsync"/>: the status (0 when none came), whether curl connected for it, and the body.</summary>
public sealed record CurlResponse(int Status, bool NewConnection, string Body)
{
    public const string Marker = "#transfer";

    public EchoedRequest Echo => EchoedRequest.Parse(Body);

    public static IReadOnlyList<CurlResponse> Parse(ToolResult result)
    {
        var responses = new List<CurlResponse>();
        var body = new System.Text.StringBuilder();
        foreach (var line in result.Output.Split('\n'))
        {
            var fields = line.Split(' ');
            if (fields is [Marker, var status, var connects])
            {
                responses.Add(new CurlResponse(int.Parse(status), connects != "0", body.ToString().TrimEnd('\n')));
                body.Clear();
            }
            else
            {
                body.Append(line).Append('\n');
            }
        }
        Assert.True(responses.Count > 0, result.All);
        return responses;
    }
}
