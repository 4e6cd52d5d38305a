using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Gatehouse.Gateway.Backends;

namespace Gatehouse.Gateway.Forwarding;

/// <summary>A pooled client for backends whose certificates are judged alike: HTTP/1.1, keep-alive, nothing added or followed.</summary>
internal static class BackendClient
{
    /// <summary>
    /// The handler takes the SNI from the Host it sends, as v2 does by default. With an sniName it cannot, so the
    /// client speaks TLS itself when it connects, and its members' addresses say http (see <see cref="Scheme"/>).
    /// </summary>
    public static HttpMessageInvoker Create(BackendTls tls)
    {
        var handler = Handler(tls);
        if (tls.SniName is { } sniName) handler.ConnectCallback = (context, cancellationToken) => ConnectWithTlsAsync(context, sniName, tls, cancellationToken);
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>The scheme of a member's address: https, unless the client adds TLS itself for an sniName.</summary>
    public static string Scheme(bool https, string? sniName) => https && sniName is null ? "https" : "http";

    private static async ValueTask<Stream> ConnectWithTlsAsync(SocketsHttpConnectionContext context, string sniName, BackendTls tls,
        CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
            await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = sniName,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => tls.Accepts(certificate, chain, errors),
            }, cancellationToken);
            return stream;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static SocketsHttpHandler Handler(BackendTls tls) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        ConnectTimeout = TimeSpan.FromSeconds(15),
        // Azure sends no trace context of its own beyond X-AppGW-Trace-Id.
        ActivityHeadersPropagator = null,
        // Header values are octets both ways, as the listeners read and write them.
        RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1,
        ResponseHeaderEncodingSelector = (_, _) => Encoding.Latin1,
        // The SNI is the Host sent to the backend, as v2 sends the settings' host name.
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => tls.Accepts(certificate, chain, errors) },
    };
}
