using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Gateway.Tests.Support;

/// <summary>
/// A backend on 127.0.0.1 that speaks HTTP/1.1 by hand: it records each request as it arrived (head as sent, body
/// with its chunked framing removed) and answers with the raw bytes <see cref="Respond"/> gives for it, so that tests
/// control framing a framework would normalise. It sends <c>100 Continue</c> before reading a body that expects one, and
/// closes the connection after a response that has no length or says <c>Connection: close</c>. A response with
/// <see cref="DropsNextRequest"/> keeps the connection open, then closes it when the next request arrives, unanswered,
/// as a backend whose idle timeout races the gateway's next request.
/// </summary>
public sealed class RawBackend : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<BackendRequest> _requests = [];
    private readonly Task _accepting;
    private int _connections;

    public RawBackend(Func<BackendRequest, byte[]> respond)
    {
        Respond = respond;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public const string DropsNextRequest = "X-Drops-Next-Request: yes";

    public Func<BackendRequest, byte[]> Respond { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Requests forwarded for clients, in arrival order (health probes aside).</summary>
    public IReadOnlyList<BackendRequest> Requests
    {
        get
        {
            lock (_requests) return [.. _requests.Where(r => r.Forwarded)];
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stopping.Token);
                _ = ServeAsync(socket, Interlocked.Increment(ref _connections));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(Socket socket, int connection)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket);
        var reader = new ByteReader(stream, _stopping.Token);
        try
        {
            var dropNext = false;
            while (await reader.ReadHeadAsync() is { } head)
            {
                if (dropNext) return;
                var headers = BackendRequest.HeaderLines(head);
                if (headers.Any(h => h.Key.Equals("Expect", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("100-continue", StringComparison.OrdinalIgnoreCase)))
                    await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), _stopping.Token);
                var length = headers.Where(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => long.Parse(h.Value)).FirstOrDefault();
                var chunked = headers.Any(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase));
                var body = chunked ? await reader.ReadChunkedAsync() : await reader.ReadExactlyAsync((int)length);
                var request = new BackendRequest(head, body, connection);
                lock (_requests) _requests.Add(request);
                var response = Respond(request);
                await stream.WriteAsync(response, _stopping.Token);
                var responseHead = Encoding.Latin1.GetString(response).Split("\r\n\r\n")[0];
                dropNext = responseHead.Contains(DropsNextRequest, StringComparison.Ordinal);
                if (responseHead.Contains("Connection: close", StringComparison.OrdinalIgnoreCase)
                    || !(responseHead.Contains("Content-Length:", StringComparison.OrdinalIgnoreCase) || responseHead.Contains("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase)
                         || responseHead.StartsWith("HTTP/1.1 204", StringComparison.Ordinal) || responseHead.StartsWith("HTTP/1.1 304", StringComparison.Ordinal)))
                    return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The gateway closed the connection.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }

    /// <summary>Buffered reads of heads, exact lengths and chunked bodies from one connection.</summary>
    private sealed class ByteReader(Stream stream, CancellationToken cancellationToken)
    {
        private readonly MemoryStream _pending = new();

        public async Task<string?> ReadHeadAsync()
        {
            while (true)
            {
                var bytes = _pending.ToArray();
                var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
                if (end >= 0)
                {
                    Keep(bytes[(end + 4)..]);
                    return Encoding.Latin1.GetString(bytes, 0, end + 4);
                }
                if (!await FillAsync()) return null;
            }
        }

        public async Task<byte[]> ReadExactlyAsync(int length)
        {
            while (_pending.Length < length)
                if (!await FillAsync()) throw new IOException("closed within a body");
            var bytes = _pending.ToArray();
            Keep(bytes[length..]);
            return bytes[..length];
        }

        public async Task<byte[]> ReadChunkedAsync()
        {
            var body = new MemoryStream();
            while (true)
            {
                var line = await ReadLineAsync();
                var size = Convert.ToInt32(line.Split(';')[0], 16);
                if (size == 0)
                {
                    while ((await ReadLineAsync()).Length > 0)
                    {
                        // Trailers are dropped.
                    }
                    return body.ToArray();
                }
                body.Write(await ReadExactlyAsync(size));
                if ((await ReadLineAsync()).Length != 0) throw new IOException("chunk longer than its size");
            }
        }

        private async Task<string> ReadLineAsync()
        {
            while (true)
            {
                var bytes = _pending.ToArray();
                var end = bytes.AsSpan().IndexOf("\r\n"u8);
                if (end >= 0)
                {
                    Keep(bytes[(end + 2)..]);
                    return Encoding.Latin1.GetString(bytes, 0, end);
                }
                if (!await FillAsync()) throw new IOException("closed within a line");
            }
        }

        private void Keep(byte[] rest)
        {
            _pending.SetLength(0);
            _pending.Write(rest);
        }

        private async Task<bool> FillAsync()
        {
            var buffer = new byte[64 * 1024];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            _pending.Write(buffer, 0, read);
            return read > 0;
        }
    }
}

/// <summary>One request as the backend got it: the head as sent, the body with any chunked framing removed, and which connection (1, 2, ...) it came on.</summary>
public sealed record BackendRequest(string Head, byte[] Body, int Connection)
{
    /// <summary>Sent by the gateway for a client, not by its prober.</summary>
    public bool Forwarded => Head.Contains("X-AppGW-Trace-Id:", StringComparison.OrdinalIgnoreCase);

    public string Target => Head.Split("\r\n")[0].Split(' ')[1];

    public static List<KeyValuePair<string, string>> HeaderLines(string head) =>
    [
        .. head.Split("\r\n").Skip(1).Where(l => l.Length > 0).Select(l => l.Split(':', 2)).Select(f => KeyValuePair.Create(f[0], f[1].Trim())),
    ];
}
