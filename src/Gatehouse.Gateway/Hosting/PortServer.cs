using System.Net;
using System.Text;
using Gatehouse.Gateway.Compilation;
using Gatehouse.Gateway.Forwarding;
using Gatehouse.Gateway.Observability;
using Gatehouse.Gateway.Routing;
using Gatehouse.Gateway.Tls;
using Gatehouse.Network.ApplicationGateways;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Gateway.Hosting;

/// <summary>
/// One Kestrel server for one local socket; which listener serves a connection is read from the current plan. HTTP and
/// HTTPS sockets serve requests; TCP and TLS sockets hand each connection to the layer-4 proxy.
/// </summary>
internal sealed class PortServer : IAsyncDisposable
{
    /// <summary>Standard_v2's request size limit; Kestrel's 30 MB default would refuse what Azure forwards.</summary>
    private const long MaxRequestBodySize = 4L * 1024 * 1024 * 1024;

    /// <summary>v2's limits on URL and header size (appgw-behaviour §7): 32 KB each, where Kestrel's defaults are 8 KB and 32 KB.</summary>
    private const int MaxUrlBytes = 32 * 1024;

    private const int MaxHeaderBytes = 32 * 1024;

    /// <summary>v2's limit on one HTTP/2 header field (Kestrel's default is 32 KB).</summary>
    private const int MaxHttp2HeaderFieldBytes = 8 * 1024;

    /// <summary>Room in the request line for the method, two spaces, the version and CRLF around the URL.</summary>
    private const int RequestLineOverhead = 32;

    /// <summary>How long a retired server lets in-flight requests finish.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private PortServer(WebApplication app, IPEndPoint localEndPoint)
    {
        _app = app;
        LocalEndPoint = localEndPoint;
    }

    public IPEndPoint LocalEndPoint { get; }

    public static async Task<PortServer> StartAsync(PortBinding binding, PlanSlot plan, RequestRouter router, ConnectionForwarder connections,
        GatewayMetrics metrics, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = DrainTimeout);
        ListenOptions? bound = null;
        // The request path never blocks, so it may run on the socket's own thread instead of hopping to the pool:
        // fewer context switches per request (performance-notes.md: the one large runtime-setting win).
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = MaxRequestBodySize;
            // Kestrel answers beyond them itself, before the gateway sees the request: 414 and 431.
            options.Limits.MaxRequestLineSize = MaxUrlBytes + RequestLineOverhead;
            options.Limits.MaxRequestHeadersTotalSize = MaxHeaderBytes;
            options.Limits.Http2.MaxRequestHeaderFieldSize = MaxHttp2HeaderFieldBytes;
            // v2's keep-alive timeout (appgw-behaviour §6.2).
            options.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(75);
            // Header values are octets that pass through untouched, as nginx and Azure pass them (RFC 9110 §5.5 obs-text).
            options.RequestHeaderEncodingSelector = _ => Encoding.Latin1;
            options.ResponseHeaderEncodingSelector = _ => Encoding.Latin1;
            options.Listen(new IPEndPoint(binding.Address, binding.LocalPort), listen =>
            {
                bound = listen;
                listen.Use(next => async connection =>
                {
                    metrics.ConnectionOpened();
                    try { await next(connection); }
                    finally
                    {
                        metrics.ConnectionClosed();
                        PlanSlot.ReleaseConnection(connection.Items);
                    }
                });
                listen.Protocols = HttpProtocols.Http1;
                if (binding.Protocol == ListenerProtocol.Https)
                {
                    // Each handshake's ALPN list (the gateway's enableHttp2) decides which one a connection speaks.
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.Use(next => connection => ClientHelloCiphers.PeekAsync(connection, next));
                }
                if (binding.Protocol is ListenerProtocol.Https or ListenerProtocol.Tls)
                {
                    listen.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        OnConnection = context => TlsHandshake.Begin(
                            plan.AcquireForConnection(context.Connection.Items).Plan.Ports.GetValueOrDefault(binding), context),
                    });
                }
                if (binding.Protocol is ListenerProtocol.Http or ListenerProtocol.Https)
                    listen.Use(next => connection => RefusedRequestGate.ServeAsync(connection, next, binding, plan, router.Firewall));
                // A TCP or TLS listener's connections end here, in the proxy: Kestrel's HTTP handling after it never runs.
                if (binding.Protocol is ListenerProtocol.Tcp or ListenerProtocol.Tls)
                    listen.Use(_ => connection => connections.ServeAsync(connection, binding));
            });
        });
        var app = builder.Build();
        app.Run(context => router.RouteAsync(context, binding));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        // Kestrel writes the bound end point back, with the port the OS picked for port 0.
        return new PortServer(app, bound!.IPEndPoint!);
    }

    /// <summary>Stops accepting, lets in-flight requests finish (up to the drain timeout), then releases the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
