using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Gateway.Tests.Support;

/// <summary>
/// One request written byte for byte over TLS, for what a client library would normalise or refuse to send (an
/// encoded slash, obs-text in a header, a broken chunk). The request should ask for <c>Connection: close</c>: the
/// answer is read until the gateway closes, within a bound.
/// </summary>
public static class RawHttp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<RawResponse> SendAsync(int port, string request) =>
        RawResponse.Parse(await ExchangeAsync(port, Encoding.Latin1.GetBytes(request)));

    /// <summary>Every byte the gateway answered, until it closed.</summary>
    public static async Task<byte[]> ExchangeAsync(int port, byte[] request)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Issuer == TestCertificates.ServerCa.Subject,
        }, timeout.Token);
        await tls.WriteAsync(request, timeout.Token);
        using var received = new MemoryStream();
        await tls.CopyToAsync(received, timeout.Token);
        return received.ToArray();
    }
}

/// <summary>An HTTP/1.1 response: header values as octets (Latin-1), the body (a chunked one joined) as UTF-8.</summary>
public sealed record RawResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public string? Header(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public static RawResponse Parse(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"no complete response: {text}");
        var lines = text[..end].Split("\r\n");
        var headers = lines.Skip(1).Select(line => line.Split(':', 2)).Select(f => KeyValuePair.Create(f[0], f[1].Trim())).ToList();
        var body = text[(end + 4)..];
        var response = new RawResponse(int.Parse(lines[0].Split(' ')[1]), headers, body);
        if (response.Header("Transfer-Encoding") == "chunked") body = Dechunk(body);
        return response with { Body = Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(body)) };
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        for (var at = 0; ;)
        {
            var lineEnd = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..lineEnd].Split(';')[0], 16);
            if (size == 0) return body.ToString();
            body.Append(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
