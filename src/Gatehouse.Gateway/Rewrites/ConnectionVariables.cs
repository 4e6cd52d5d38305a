using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Gatehouse.Gateway.Tls;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Gatehouse.Gateway.Rewrites;

/// <summary>The server variables read from the connection and the exchange's sizes rather than the request line.</summary>
internal static class ConnectionVariables
{
    private const int SolTcp = 6;
    private const int TcpInfo = 11;

    /// <summary>Where <c>tcpi_rtt</c> (microseconds) sits in Linux's <c>struct tcp_info</c>.</summary>
    private const int TcpInfoRttOffset = 68;

    /// <summary>The negotiated suite in OpenSSL's spelling; empty on plain HTTP.</summary>
    public static string CipherUsed(HttpContext context) =>
        context.Features.Get<ITlsHandshakeFeature>()?.NegotiatedCipherSuite is { } suite ? CipherSuiteNames.OpenSsl(suite) : "";

    /// <summary>The kernel's smoothed round-trip time in microseconds, as nginx's <c>$tcpinfo_rtt</c>; empty where the OS has no TCP_INFO.</summary>
    public static string ClientTcpRtt(HttpContext context)
    {
        if (!OperatingSystem.IsLinux() || context.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket) return "";
        Span<byte> info = stackalloc byte[104];
        try
        {
            var length = socket.GetRawSocketOption(SolTcp, TcpInfo, info);
            return length >= TcpInfoRttOffset + 4
                ? BinaryPrimitives.ReadUInt32LittleEndian(info[TcpInfoRttOffset..]).ToString(CultureInfo.InvariantCulture)
                : "";
        }
        catch (SocketException)
        {
            return "";
        }
    }

    /// <summary>The user name of HTTP Basic authentication, as nginx's <c>$remote_user</c>; empty for any other scheme.</summary>
    public static string ClientUser(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        const string basic = "Basic ";
        if (!authorization.StartsWith(basic, StringComparison.OrdinalIgnoreCase)) return "";
        Span<byte> decoded = stackalloc byte[authorization.Length];
        if (!Convert.TryFromBase64String(authorization[basic.Length..].Trim(), decoded, out var written)) return "";
        var credentials = Encoding.UTF8.GetString(decoded[..written]);
        var colon = credentials.IndexOf(':');
        return colon < 0 ? "" : credentials[..colon];
    }

    /// <summary>Bytes of the request as received: request line, headers and body (nginx's <c>$request_length</c>).</summary>
    public static string ReceivedBytes(HttpContext context)
    {
        var request = context.Request;
        long length = request.Method.Length + 1 + ServerVariables.RequestUri(context).Length + 1 + request.Protocol.Length + 2;
        length += HeadersLength(request.Headers) + 2 + (request.ContentLength ?? 0);
        return length.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Bytes of the response as it goes out: status line, headers and a body of known length (nginx's <c>$bytes_sent</c>).</summary>
    public static string SentBytes(HttpContext context)
    {
        var response = context.Response;
        long length = context.Request.Protocol.Length + 5 + ReasonPhrases.GetReasonPhrase(response.StatusCode).Length + 2;
        length += HeadersLength(response.Headers) + 2 + (response.ContentLength ?? 0);
        return length.ToString(CultureInfo.InvariantCulture);
    }

    private static long HeadersLength(IHeaderDictionary headers)
    {
        long length = 0;
        foreach (var (name, values) in headers)
            foreach (var value in values)
                length += name.Length + 2 + (value?.Length ?? 0) + 2;
        return length;
    }
}
