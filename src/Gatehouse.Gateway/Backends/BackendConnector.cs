using System.Net.Security;
using System.Net.Sockets;

namespace Gatehouse.Gateway.Backends;

/// <summary>Opens a layer-4 connection to a pool member: TCP, then TLS when its scheme is tls, all within one timeout.</summary>
internal static class BackendConnector
{
    public const string TlsScheme = "tls";

    /// <param name="endpoint"><c>tcp://host:port</c> or <c>tls://host:port</c>.</param>
    /// <param name="serverName">The SNI sent and the name the certificate must carry; null sends the endpoint's host.</param>
    public static async Task<Stream> ConnectAsync(Uri endpoint, string? serverName, BackendTls tls, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.DnsSafeHost, endpoint.Port, limit.Token);
            var stream = new NetworkStream(socket, ownsSocket: true);
            if (endpoint.Scheme != TlsScheme) return stream;
            var secure = new SslStream(stream);
            try
            {
                await secure.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = serverName ?? endpoint.DnsSafeHost,
                    RemoteCertificateValidationCallback = (_, certificate, chain, errors) => tls.Accepts(certificate, chain, errors),
                }, limit.Token);
            }
            catch
            {
                await secure.DisposeAsync();
                throw;
            }
            return secure;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
