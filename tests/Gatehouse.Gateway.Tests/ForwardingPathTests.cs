using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Gatehouse.Gateway.Tests.Support;

namespace Gatehouse.Gateway.Tests;

/// <summary>
/// The lean HTTP/1.1 path against YARP's: one request set sent through a gateway on each, to the same hand-written
/// backend, and what the backend got and what the client got compared. Heads are compared line by line with headers
/// in name order (neither path keeps the client's order: both read Kestrel's dictionary), bodies byte for byte with
/// chunked framing removed (chunk boundaries follow socket reads on either path); only the values that differ per
/// request (trace id, client port, the gateway's own port, Date) are masked.
/// </summary>
public sealed class ForwardingPathTests
{
    private static readonly byte[] LargeBody = [.. Enumerable.Range(0, 1 << 20).Select(i => (byte)(i * 31 % 251))];

    /// <summary>Case name (also the request path) → the request after its head's first line and Host, and the backend's raw answer.</summary>
    private static readonly Dictionary<string, (byte[] Request, byte[] Response)> Cases = new()
    {
        ["content-length"] = (Get("content-length"), Latin1("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")),
        ["chunked"] = (Get("chunked"),
            Latin1("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")),
        ["close-delimited"] = (Get("close-delimited"), Latin1("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nuntil the end")),
        ["no-content"] = (Get("no-content"), Latin1("HTTP/1.1 204 No Content\r\nX-Kept: yes\r\n\r\n")),
        ["not-modified"] = (Get("not-modified"), Latin1("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n")),
        ["head"] = (Request("HEAD", "head", "", []), Latin1("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n")),
        ["early-hints"] = (Get("early-hints"), Latin1("HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")),
        ["large-response"] = (Get("large-response"), [.. Latin1($"HTTP/1.1 200 OK\r\nContent-Length: {LargeBody.Length}\r\n\r\n"), .. LargeBody]),
        ["large-chunked-response"] = (Get("large-chunked-response"),
            [.. Latin1("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), .. Chunked(LargeBody, 7919)]),
        ["large-post"] = (Request("POST", "large-post", $"Content-Type: application/octet-stream\r\nContent-Length: {LargeBody.Length}\r\n", LargeBody), Ok()),
        ["chunked-post"] = (Request("POST", "chunked-post", "Transfer-Encoding: chunked\r\n", Chunked(LargeBody[..100_000], 4096)), Ok()),
        ["empty-post"] = (Request("POST", "empty-post", "", []), Ok()),
        ["expect-continue"] = (Request("PUT", "expect-continue", "Expect: 100-continue\r\nContent-Length: 11\r\n", Latin1("hello world")), Ok()),
        ["upgrade-declined"] = (Request("GET", "upgrade-declined", "Connection: Upgrade\r\nUpgrade: websocket\r\n", []), Ok()),
        ["octets"] = (Request("GET", "octets", "X-Name: caf\u00e9 \u00ff\r\nCookie: a=1\r\nCookie: b=2\r\nAccept: text/html\r\nAccept: text/plain\r\n", []),
            Latin1("HTTP/1.1 200 Fine Thanks\r\nX-Octets: caf\u00e9 \u00ff\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n")),
        ["query%2F?x=%41&y"] = (Get("query%2F?x=%41&y"), Ok()),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task The_lean_path_sends_and_answers_what_YARPs_does(string name)
    {
        var (request, _) = Cases[name];
        await using var backend = new RawBackend(r => Cases[r.Target.TrimStart('/')].Response);

        var yarp = await ThroughAsync(HttpForwarding.Yarp, backend, request);
        var lean = await ThroughAsync(HttpForwarding.Lean, backend, request);

        Assert.Equal(yarp.Backend, lean.Backend);
        Assert.Equal(yarp.Client, lean.Client);
    }

    [Fact]
    public async Task The_lean_path_reuses_one_backend_connection_for_sequential_requests()
    {
        await using var backend = new RawBackend(_ => Ok());
        await using var gateway = await StartAsync(HttpForwarding.Lean, backend);

        for (var i = 0; i < 5; i++) await RawHttp.ExchangeAsync(gateway.Port, Request("POST", $"r{i}", "Content-Length: 2\r\n", Latin1("hi")));

        Assert.Equal(5, backend.Requests.Count);
        Assert.Single(backend.Requests.Select(r => r.Connection).Distinct());
    }

    [Fact]
    public async Task Each_response_on_a_reused_backend_connection_carries_its_own_header_values()
    {
        // Same names, lengths and positions response after response, as the lean path's string reuse meets them; only the bytes differ.
        await using var backend = new RawBackend(r => Latin1($"HTTP/1.1 200 OK\r\nX-Target: {r.Target}\r\nX-Octets: caf{(r.Target == "/r1" ? '\u00e9' : '\u00e8')}\r\nContent-Length: 0\r\n\r\n"));
        await using var gateway = await StartAsync(HttpForwarding.Lean, backend);

        var first = RawResponse.Parse(await RawHttp.ExchangeAsync(gateway.Port, Get("r1")));
        var second = RawResponse.Parse(await RawHttp.ExchangeAsync(gateway.Port, Get("r2")));

        Assert.Single(backend.Requests.Select(r => r.Connection).Distinct());
        Assert.Equal(("/r1", "caf\u00e9"), (first.Header("X-Target"), first.Header("X-Octets")));
        Assert.Equal(("/r2", "caf\u00e8"), (second.Header("X-Target"), second.Header("X-Octets")));
    }

    [Theory]
    [InlineData(HttpForwarding.Lean)]
    [InlineData(HttpForwarding.Yarp)]
    public async Task A_kept_alive_connection_the_backend_closes_as_the_next_request_arrives_does_not_fail_it(HttpForwarding path)
    {
        await using var backend = new RawBackend(_ => Latin1($"HTTP/1.1 200 OK\r\n{RawBackend.DropsNextRequest}\r\nContent-Length: 2\r\n\r\nok"));
        await using var gateway = await StartAsync(path, backend);

        var first = RawResponse.Parse(await RawHttp.ExchangeAsync(gateway.Port, Get("first")));
        var second = RawResponse.Parse(await RawHttp.ExchangeAsync(gateway.Port, Get("second")));

        Assert.Equal((200, 200), (first.Status, second.Status));
        Assert.Equal(["/first", "/second"], backend.Requests.Select(r => r.Target));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 2\n\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n folded\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n")]
    public async Task The_lean_path_answers_502_to_a_response_that_breaks_HTTP_1_1_syntax(string response)
    {
        await using var backend = new RawBackend(_ => Latin1(response));
        await using var gateway = await StartAsync(HttpForwarding.Lean, backend);

        var answer = RawResponse.Parse(await RawHttp.ExchangeAsync(gateway.Port, Get("bad")));

        Assert.Equal(502, answer.Status);
    }

    [Theory]
    [InlineData("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", HttpForwarding.Lean)]
    [InlineData("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", HttpForwarding.Yarp)]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\nContent-Length: 4\r\n", HttpForwarding.Lean)]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\nContent-Length: 4\r\n", HttpForwarding.Yarp)]
    [InlineData("Content-Length: 5\r\nContent-Length: 64\r\n", HttpForwarding.Lean)]
    [InlineData("Content-Length: 5\r\nContent-Length: 64\r\n", HttpForwarding.Yarp)]
    public async Task A_request_hidden_behind_conflicting_framing_never_reaches_the_backend(string framing, HttpForwarding path)
    {
        await using var backend = new RawBackend(_ => Ok());
        await using var gateway = await StartAsync(path, backend);
        var smuggled = "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";

        await RawHttp.ExchangeAsync(gateway.Port, Latin1($"POST /carrier HTTP/1.1\r\nHost: localhost\r\n{framing}\r\n0\r\n\r\n{smuggled}{smuggled}"));
        // A request of its own after it, so that anything queued on the backend connection would have been answered by now.
        await RawHttp.ExchangeAsync(gateway.Port, Get("after"));

        Assert.DoesNotContain(backend.Requests, r => r.Target == "/smuggled" || r.Body.AsSpan().IndexOf("/smuggled"u8) >= 0);
    }

    [Theory]
    [InlineData(HttpForwarding.Lean)]
    [InlineData(HttpForwarding.Yarp)]
    public async Task Bytes_a_backend_sends_beyond_its_response_never_answer_the_next_request(HttpForwarding path)
    {
        await using var backend = new RawBackend(r => Latin1(
            $"HTTP/1.1 200 OK\r\nContent-Length: {r.Target.Length}\r\n\r\n{r.Target}HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled"));
        await using var gateway = await StartAsync(path, backend);

        var first = RawResponse.Parse(await RawHttp.ExchangeAsync(gateway.Port, Get("first")));
        var second = RawResponse.Parse(await RawHttp.ExchangeAsync(gateway.Port, Get("second")));

        Assert.Equal("/first", first.Body);
        Assert.Equal("/second", second.Body);
    }

    private static async Task<(string Backend, string Client)> ThroughAsync(HttpForwarding forwarding, RawBackend backend, byte[] request)
    {
        await using var gateway = await StartAsync(forwarding, backend);
        var seen = backend.Requests.Count;
        var answer = await RawHttp.ExchangeAsync(gateway.Port, request);
        var received = backend.Requests.Skip(seen).Select(r => View(r.Head, r.Body, gateway.Port));
        return (string.Join("\n---\n", received), ClientView(answer, gateway.Port));
    }

    private static Task<RunningGateway> StartAsync(HttpForwarding forwarding, RawBackend backend) =>
        RunningGateway.StartAsync(_ => (TestGateways.Passthrough(), TestGateways.Environment(backend.Port)), forwarding: forwarding);

    /// <summary>The client's bytes as interim heads, final head and de-chunked body.</summary>
    private static string ClientView(byte[] bytes, int gatewayPort)
    {
        var parts = new List<string>();
        while (true)
        {
            var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
            Assert.True(end > 0, "no complete response");
            var head = Encoding.Latin1.GetString(bytes, 0, end + 4);
            bytes = bytes[(end + 4)..];
            if (!head.StartsWith("HTTP/1.1 1", StringComparison.Ordinal))
            {
                var body = head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) ? Dechunk(bytes) : bytes;
                parts.Add(View(head, body, gatewayPort));
                return string.Join("\n---\n", parts);
            }
            parts.Add(View(head, [], gatewayPort));
        }
    }

    /// <summary>First line, headers in name order with per-request values masked, then the body's length and hash.</summary>
    private static string View(string head, byte[] body, int gatewayPort)
    {
        var lines = head.Split("\r\n").Where(l => l.Length > 0).ToList();
        var headers = lines.Skip(1)
            .Where(l => !l.StartsWith("Date:", StringComparison.OrdinalIgnoreCase))
            .Select(l => l.StartsWith("X-AppGW-Trace-Id:", StringComparison.OrdinalIgnoreCase) ? "X-AppGW-Trace-Id: *" : l)
            .Select(l => l.StartsWith("X-Forwarded-For:", StringComparison.OrdinalIgnoreCase) ? Regex.Replace(l, @":\d+$", ":*") : l)
            .Select(l => l.Replace(gatewayPort.ToString(), "PORT", StringComparison.Ordinal))
            .OrderBy(l => l.Split(':')[0], StringComparer.OrdinalIgnoreCase);
        var shown = body.Length <= 256 ? Encoding.Latin1.GetString(body) : Convert.ToHexString(SHA256.HashData(body));
        return $"{lines[0]}\n{string.Join("\n", headers)}\n\n{body.Length} bytes: {shown}";
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        var body = new MemoryStream();
        for (var at = 0; ;)
        {
            var lineEnd = chunked.AsSpan(at).IndexOf("\r\n"u8) + at;
            var size = Convert.ToInt32(Encoding.Latin1.GetString(chunked, at, lineEnd - at).Split(';')[0], 16);
            if (size == 0) return body.ToArray();
            body.Write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static byte[] Chunked(byte[] body, int size) =>
    [
        .. body.Chunk(size).SelectMany(chunk => (byte[])[.. Latin1($"{chunk.Length:x}\r\n"), .. chunk, .. "\r\n"u8.ToArray()]),
        .. "0\r\n\r\n"u8.ToArray(),
    ];

    private static byte[] Get(string path) => Request("GET", path, "", []);

    private static byte[] Request(string method, string path, string headers, byte[] body) =>
        [.. Latin1($"{method} /{path} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n"), .. body];

    private static byte[] Ok() => Latin1("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);
}
