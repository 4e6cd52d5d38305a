using System.Net;
using Gatehouse.Gateway.Backends;

namespace Gatehouse.Gateway.Forwarding;

/// <summary>A pooled client for backends whose certificates are judged alike: HTTP/1.1, keep-alive, nothing added or followed.</summary>
internal static class BackendClient
{
    public static HttpMessageInvoker Create(BackendTls tls) => new(new SocketsHttpHandler
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
        // The SNI is the Host sent to the backend, as v2 sends the settings' host name.
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => tls.Accepts(certificate, chain, errors) },
    }, disposeHandler: true);
}
