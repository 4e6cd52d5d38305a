using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Gatehouse.Gateway.Forwarding;

/// <summary>The backend broke HTTP/1.1's response syntax: nothing it sent can be trusted, and the connection is not reused.</summary>
internal sealed class BackendProtocolException(string message) : IOException(message);

/// <summary>Writing the response to the client failed: the client went away, not the backend.</summary>
internal sealed class ClientGoneException(Exception? inner) : IOException("the client went away", inner);

/// <summary>
/// One keep-alive HTTP/1.1 connection to a pool member, written and read by one request at a time: the request head
/// goes out from <see cref="Head"/>, the response is parsed strictly from its own read buffer (no bare LF, no obs-fold,
/// token names, no control characters in values, one Content-Length), and bodies move in the framing they came in.
/// Every I/O is bounded by <see cref="Activity"/>, which the caller re-arms as bytes move (the settings' request timeout).
/// </summary>
internal sealed class Http1Connection : IDisposable
{
    /// <summary>SocketsHttpHandler's limit on a response head (MaxResponseHeadersLength, 64 KB).</summary>
    private const int MaxHeadBytes = 64 * 1024;

    private readonly Socket _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private TimeSpan _timeout = Timeout.InfiniteTimeSpan;

    private Http1Connection(Socket socket) => _socket = socket;

    /// <summary>The request head being built; reused by every request on the connection.</summary>
    public ArrayBufferWriter<byte> Head { get; } = new(4096);

    /// <summary>The response being read; reused by every request on the connection.</summary>
    public ResponseHead Response { get; } = new();

    public CancellationTokenSource Activity { get; private set; } = new();

    /// <summary>Set once a request has been answered on it: a failure before any response byte may then be the backend's idle close.</summary>
    public bool Reused { get; set; }

    public long IdleSince { get; set; }

    public static async ValueTask<Http1Connection> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.DnsSafeHost, endpoint.Port, cancellationToken);
            return new Http1Connection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether an idle connection can carry another request: nothing unread, and the backend has not closed it (a
    /// readable idle socket holds either an end of stream or bytes nobody asked for).
    /// </summary>
    public bool IsAlive => _start == _end && !_socket.Poll(0, SelectMode.SelectRead);

    /// <summary>Starts a request: a fresh timer when the last one ran out (a timed-out connection is never pooled).</summary>
    public void Arm(TimeSpan timeout)
    {
        if (!Activity.TryReset())
        {
            Activity.Dispose();
            Activity = new CancellationTokenSource();
        }
        _timeout = timeout;
        Activity.CancelAfter(timeout);
    }

    /// <summary>Bytes moved: the timeout counts from now, as YARP's ActivityTimeout does (a long download is not cut off).</summary>
    private void Touch() => Activity.CancelAfter(_timeout);

    public void Disarm() => Activity.CancelAfter(Timeout.InfiniteTimeSpan);

    // The I/O methods here, and the request path's methods that await them, use pooled state machines: every request
    // suspends in each of them while the backend answers, and an unpooled one allocates its box every time
    // (bench/allocations.sh: about 230 B/request less on the lean path).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, Activity.Token);
            bytes = bytes[sent..];
            Touch();
        }
    }

    public ValueTask SendHeadAsync() => SendAsync(Head.WrittenMemory);

    /// <summary>Reads one response head (a 1xx included), strictly; throws <see cref="BackendProtocolException"/> on bad syntax.</summary>
    /// <returns>False when the backend closed the connection before the first byte of a response.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ReadHeadAsync(ResponseHead head)
    {
        head.Clear();
        int length;
        while ((length = HeadLength()) < 0)
        {
            if (_end - _start >= MaxHeadBytes) throw new BackendProtocolException("response head too large");
            if (!await FillAsync())
            {
                if (_start == _end) return false;
                throw new BackendProtocolException("connection closed within the response head");
            }
        }
        head.Parse(_buffer.AsSpan(_start, length));
        _start += length;
        return true;
    }

    /// <summary>Copies exactly <paramref name="length"/> body bytes into <paramref name="output"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask CopyAsync(long length, PipeWriter output)
    {
        while (length > 0)
        {
            if (_start == _end && !await FillAsync()) throw new BackendProtocolException("connection closed within the response body");
            var take = (int)Math.Min(length, _end - _start);
            await WriteOutAsync(output, _buffer.AsMemory(_start, take));
            Touch();
            _start += take;
            length -= take;
        }
    }

    /// <summary>Copies body bytes until the backend closes: a response without Content-Length or chunked framing.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask CopyToEndAsync(PipeWriter output)
    {
        while (_start < _end || await FillAsync())
        {
            await WriteOutAsync(output, _buffer.AsMemory(_start, _end - _start));
            Touch();
            _start = _end;
        }
    }

    /// <summary>Decodes a chunked body into <paramref name="output"/>; trailers are read and dropped, as YARP drops them on HTTP/1.1.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask CopyChunkedAsync(PipeWriter output)
    {
        while (true)
        {
            var size = await ReadChunkSizeAsync();
            if (size == 0) break;
            await CopyAsync(size, output);
            await ExpectCrlfAsync();
        }
        while (true)
        {
            var line = await ReadLineAsync();
            if (line == 0)
            {
                _start += 2;
                return;
            }
            ResponseHead.ValidateHeaderLine(_buffer.AsSpan(_start, line));
            _start += line + 2;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<long> ReadChunkSizeAsync()
    {
        var length = await ReadLineAsync();
        var line = _buffer.AsSpan(_start, length);
        var extension = line.IndexOf((byte)';');
        var digits = extension < 0 ? line : line[..extension];
        if (extension >= 0 && line[extension..].ContainsAnyInRange((byte)0, (byte)8)) throw new BackendProtocolException("bad chunk extension");
        if (digits.IsEmpty || digits.Length > 15 || !Utf8Parser.TryParse(digits, out long size, out var consumed, 'X') || consumed != digits.Length)
            throw new BackendProtocolException("bad chunk size");
        _start += length + 2;
        return size;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ExpectCrlfAsync()
    {
        if (await ReadLineAsync() != 0) throw new BackendProtocolException("chunk data longer than its size");
        _start += 2;
    }

    /// <summary>Hands body bytes to the client's response; its failures are told apart from the backend's.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask WriteOutAsync(PipeWriter output, ReadOnlyMemory<byte> bytes)
    {
        FlushResult flushed;
        try
        {
            flushed = await output.WriteAsync(bytes);
        }
        catch (Exception e)
        {
            throw new ClientGoneException(e);
        }
        if (flushed.IsCompleted || flushed.IsCanceled) throw new ClientGoneException(null);
    }

    /// <summary>The length of the next line before its CRLF, once it is all buffered; a bare LF is refused.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadLineAsync()
    {
        while (true)
        {
            var lf = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (lf >= 0)
            {
                if (lf == 0 || _buffer[_start + lf - 1] != '\r') throw new BackendProtocolException("bare LF");
                return lf - 1;
            }
            if (_end - _start >= MaxHeadBytes) throw new BackendProtocolException("line too long");
            if (!await FillAsync()) throw new BackendProtocolException("connection closed within a chunked body");
        }
    }

    /// <summary>The head's length up to and including its empty line, or -1 while it is incomplete.</summary>
    private int HeadLength()
    {
        var data = _buffer.AsSpan(_start, _end - _start);
        for (var from = 0; ;)
        {
            var lf = data[from..].IndexOf((byte)'\n');
            if (lf < 0) return -1;
            lf += from;
            if (lf == 0 || data[lf - 1] != '\r') throw new BackendProtocolException("bare LF");
            if (lf >= 3 && data[lf - 2] == '\n') return lf + 1;
            from = lf + 1;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FillAsync()
    {
        if (_start == _end) _start = _end = 0;
        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxHeadBytes * 2));
        }
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, Activity.Token);
        _end += read;
        Touch();
        return read > 0;
    }

    public void Dispose()
    {
        _socket.Dispose();
        Activity.Dispose();
    }
}

/// <summary>A response's status line and headers, as octets taken to Latin-1 strings; reused by each request on a connection.</summary>
internal sealed class ResponseHead
{
    public int Status { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>HTTP/1.0 responses close their connection unless kept alive explicitly; the gateway does not ask them to.</summary>
    public bool Http10 { get; private set; }

    public List<KeyValuePair<string, string>> Headers { get; private set; } = [];

    /// <summary>
    /// The connection's previous response's headers, whose strings a new response reuses where its bytes are the same: a
    /// backend repeats most of its headers (Server, Content-Type, Connection...) response after response.
    /// </summary>
    private List<KeyValuePair<string, string>> _previous = [];

    public long? ContentLength { get; private set; }

    public bool Chunked { get; private set; }

    /// <summary>Transfer-Encoding came without chunked last: the body runs to the connection's close (RFC 9112 §6.3).</summary>
    public bool OtherTransferCoding { get; private set; }

    public bool Close { get; private set; }

    public void Clear()
    {
        (_previous, Headers) = (Headers, _previous);
        Headers.Clear();
        ContentLength = null;
        Chunked = OtherTransferCoding = Close = false;
        Reason = null;
    }

    public void Parse(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        ParseStatusLine(head[..lineEnd]);
        head = head[(lineEnd + 2)..];
        while (true)
        {
            lineEnd = head.IndexOf("\r\n"u8);
            if (lineEnd == 0) return;
            var line = head[..lineEnd];
            var colon = ValidateHeaderLine(line);
            var previous = Headers.Count < _previous.Count ? _previous[Headers.Count] : default;
            var name = KnownName(line[..colon]) ?? Reuse(previous.Key, line[..colon]);
            var value = Reuse(previous.Value, line[(colon + 1)..].Trim(" \t"u8));
            Interpret(name, value);
            Headers.Add(new(name, value));
            head = head[(lineEnd + 2)..];
        }
    }

    /// <summary>A header line's syntax (RFC 9112 §5): token name, a colon with no space before it, a value without control characters.</summary>
    /// <returns>Where the colon is.</returns>
    public static int ValidateHeaderLine(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0) throw new BackendProtocolException(line.IsEmpty || line[0] is (byte)' ' or (byte)'\t' ? "obs-fold" : "header without a name");
        if (line[..colon].IndexOfAnyExcept(TokenBytes) >= 0) throw new BackendProtocolException("bad header name");
        var value = line[(colon + 1)..];
        if (value.IndexOfAnyInRange((byte)0, (byte)8) >= 0 || value.IndexOfAnyInRange((byte)10, (byte)31) >= 0 || value.Contains((byte)127))
            throw new BackendProtocolException("control character in a header value");
        return colon;
    }

    /// <summary>Response header names most backends send, as they spell them: taken without allocating a string.</summary>
    private static readonly string[] KnownNames =
    [
        "Content-Length", "Content-Type", "Date", "Server", "Connection", "Transfer-Encoding", "Cache-Control", "ETag", "Last-Modified",
        "Set-Cookie", "Vary", "Location", "Expires", "Content-Encoding", "Keep-Alive", "Accept-Ranges",
    ];

    /// <summary><paramref name="earlier"/> when it spells <paramref name="bytes"/> (compared as ASCII), else the bytes as Latin-1.</summary>
    private static string Reuse(string? earlier, ReadOnlySpan<byte> bytes) =>
        earlier is not null && earlier.Length == bytes.Length && Ascii.Equals(bytes, earlier) ? earlier : Encoding.Latin1.GetString(bytes);

    private static string? KnownName(ReadOnlySpan<byte> name)
    {
        foreach (var known in KnownNames)
            if (name.Length == known.Length && Ascii.Equals(name, known)) return known;
        return null;
    }

    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private void ParseStatusLine(ReadOnlySpan<byte> line)
    {
        // HTTP/1.x SP 3DIGIT SP reason (the space may end the line; some servers omit it with an empty reason).
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[7] is not ((byte)'0' or (byte)'1') || line[8] != ' '
            || !Utf8Parser.TryParse(line.Slice(9, 3), out int status, out var consumed) || consumed != 3 || status < 100
            || (line.Length > 12 && line[12] != ' '))
            throw new BackendProtocolException("bad status line");
        var reason = line.Length > 13 ? line[13..] : [];
        if (reason.IndexOfAnyInRange((byte)0, (byte)8) >= 0 || reason.IndexOfAnyInRange((byte)10, (byte)31) >= 0)
            throw new BackendProtocolException("control character in the reason phrase");
        Status = status;
        Http10 = line[7] == '0';
        Reason = reason.IsEmpty ? "" : Encoding.Latin1.GetString(reason);
    }

    private void Interpret(string name, string value)
    {
        if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
        {
            if (!long.TryParse(value, System.Globalization.NumberStyles.None, null, out var length)) throw new BackendProtocolException("bad Content-Length");
            if (ContentLength is { } known && known != length) throw new BackendProtocolException("conflicting Content-Length");
            ContentLength = length;
        }
        else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
        {
            var last = value.AsSpan();
            if (last.LastIndexOf(',') is var comma and >= 0) last = last[(comma + 1)..];
            Chunked = last.Trim(" \t").Equals("chunked", StringComparison.OrdinalIgnoreCase);
            OtherTransferCoding = !Chunked;
        }
        else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
        {
            Close |= value.Contains("close", StringComparison.OrdinalIgnoreCase);
        }
    }
}
