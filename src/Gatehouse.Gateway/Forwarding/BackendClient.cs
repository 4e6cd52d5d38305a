using System.Net;

namespace Gatehouse.Gateway.Forwarding;

/// <summary>The one pooled client for every backend: HTTP/1.1, keep-alive, nothing added or followed.</summary>
internal static class BackendClient
{
    public static HttpMessageInvoker Create() => new(new SocketsHttpHandler
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
    }, disposeHandler: true);
}
