using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Gatehouse.Gateway.Rewrites;
using Gatehouse.Gateway.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Gateway.Forwarding;

/// <summary>
/// The lean path for HTTP/1.x requests to plain-HTTP members: the request head is written straight into a pooled
/// keep-alive connection (no HttpRequestMessage), the response parsed strictly and streamed back in its framing.
/// It sends what YARP's path sends (the same headers dropped, Azure's forwarded headers, the backend Host, the rule
/// set's headers, Content-Length or chunked framing) and reports failures in YARP's terms (<see cref="ForwarderError"/>),
/// so that retries, error pages, the access log and metrics read both paths alike.
/// </summary>
internal static class Http1Forwarder
{
    /// <summary>SocketsHttpHandler's Expect100ContinueTimeout: how long a body waits for the backend's 100 Continue.</summary>
    private static readonly TimeSpan Expect100Timeout = TimeSpan.FromSeconds(1);

    /// <summary>Headers of the client's connection, not of the request (YARP's list, RequestUtilities).</summary>
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Transfer-Encoding", "Keep-Alive", "Upgrade", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authentication-Info",
        "Proxy-Authorization", "Proxy-Features", "Proxy-Instruction", "Security-Scheme", "ALPN", "Close", "TE", "Alt-Svc",
    };

    /// <summary>Whether the lean path can carry the request: HTTP/1.x, no upgrade, a plain-HTTP member, and no rule set header that would change the framing.</summary>
    public static bool Handles(HttpContext context, string memberPrefix, bool memberTls, RequestRewrite rewrite)
    {
        var request = context.Request;
        if (!(HttpProtocol.IsHttp11(request.Protocol) || HttpProtocol.IsHttp10(request.Protocol))) return false;
        if (memberTls || !memberPrefix.StartsWith("http://", StringComparison.Ordinal)) return false;
        if (context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true || HttpMethods.IsConnect(request.Method)) return false;
        foreach (var (name, _) in rewrite.Headers)
            if (HopByHop.Contains(name) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) return false;
        return true;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<ForwarderError> SendAsync(HttpContext context, Http1ConnectionPool pool, string memberPrefix, Uri endpoint,
        TimeSpan timeout, RequestScope scope, RouteDecision decision, string? hostHeader, BackendTransformer transformer)
    {
        var request = context.Request;
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;
        // A request without a body can go again on a fresh connection when a pooled one turns out to be closed.
        for (var fresh = false; ; fresh = true)
        {
            var connection = fresh ? null : pool.Rent(memberPrefix);
            if (connection is null)
            {
                using var connecting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                connecting.CancelAfter(timeout);
                try
                {
                    connection = await Http1Connection.ConnectAsync(endpoint, connecting.Token);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    var error = context.RequestAborted.IsCancellationRequested ? ForwarderError.RequestCanceled
                        : e is OperationCanceledException ? ForwarderError.RequestTimedOut : ForwarderError.Request;
                    return Fail(context, error, new HttpRequestException(HttpRequestError.ConnectionError, e.Message, e));
                }
            }
            var exchange = new Transaction(context, connection, scope, decision, hostHeader, hasBody, timeout);
            var outcome = await exchange.RunAsync(transformer);
            if (outcome == Outcome.Reusable) pool.Return(memberPrefix, connection);
            else connection.Dispose();
            if (outcome == Outcome.StaleConnection) continue;
            return exchange.Error;
        }
    }

    internal static ForwarderError Fail(HttpContext context, ForwarderError error, Exception? exception)
    {
        context.Features.Set<IForwarderErrorFeature>(new LeanForwarderError(error, exception));
        return error;
    }

    private enum Outcome { Reusable, Closed, StaleConnection }

    private sealed record LeanForwarderError(ForwarderError Error, Exception? Exception) : IForwarderErrorFeature;

    /// <summary>One request on one connection.</summary>
    private sealed class Transaction(HttpContext context, Http1Connection connection, RequestScope scope, RouteDecision decision,
        string? hostHeader, bool hasBody, TimeSpan timeout)
    {
        private readonly ResponseHead _head = connection.Response;

        public ForwarderError Error { get; private set; }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public async ValueTask<Outcome> RunAsync(BackendTransformer transformer)
        {
            var request = context.Request;
            var chunked = hasBody && (request.ContentLength is null || request.Headers.ContainsKey("Transfer-Encoding"));
            var expect = hasBody && request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase);
            WriteHead(chunked);
            connection.Arm(timeout);
            using var aborted = context.RequestAborted.UnsafeRegister(static state => ((Http1Connection)state!).Activity.Cancel(), connection);
            Task<ForwarderError>? body = null;
            bool answered;
            try
            {
                await connection.SendHeadAsync();
                if (hasBody && !expect) body = SendBodyAsync(chunked);
                if (expect)
                {
                    var first = connection.ReadHeadAsync(_head).AsTask();
                    if (await Task.WhenAny(first, Task.Delay(Expect100Timeout, connection.Activity.Token)) != first) body = SendBodyAsync(chunked);
                    answered = await first;
                    if (answered && _head.Status == 100) body ??= SendBodyAsync(chunked);
                }
                else answered = await connection.ReadHeadAsync(_head);
                while (answered && _head.Status < 200)
                {
                    // No upgrade was asked for: a 101 here is a backend speaking out of turn.
                    if (_head.Status == 101) throw new BackendProtocolException("unrequested 101");
                    answered = await connection.ReadHeadAsync(_head);
                }
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                if (e is not (OperationCanceledException or BackendProtocolException) && Stale()) return Outcome.StaleConnection;
                return await FailBeforeResponseAsync(body, e);
            }
            if (!answered)
            {
                if (Stale()) return Outcome.StaleConnection;
                return await FailBeforeResponseAsync(body, new IOException("the backend closed the connection before responding"));
            }

            CopyResponseHead();
            transformer.ShapeResponse(context);
            var reusable = await CopyResponseBodyAsync();
            // A backend may answer before it has read the whole body: the rest cannot go on the connection.
            if (body is not null && !body.IsCompleted) connection.Activity.Cancel();
            var sent = body is null ? (hasBody ? ForwarderError.RequestBodyCanceled : ForwarderError.None) : await body;
            connection.Disarm();
            return reusable && sent == ForwarderError.None && !_head.Close && !_head.Http10 ? Outcome.Reusable : Outcome.Closed;
        }

        /// <summary>
        /// A pooled connection that failed before any response and before any body was sent: most likely the backend's
        /// idle close racing this request, which HttpClient also answers by trying a new connection.
        /// </summary>
        private bool Stale() => connection.Reused && !hasBody && !context.RequestAborted.IsCancellationRequested && !connection.Activity.IsCancellationRequested;

        /// <summary>No response came: the body's own failure (the client's) comes first, then a timeout, then the backend's error.</summary>
        private async Task<Outcome> FailBeforeResponseAsync(Task<ForwarderError>? body, Exception exception)
        {
            var timedOut = connection.Activity.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested;
            connection.Activity.Cancel();
            var sent = body is null ? ForwarderError.None : await body;
            // The client's body may be cut off mid-read: its connection cannot carry another request.
            if (sent is not ForwarderError.None) context.Response.Headers.Connection = "close";
            var error = sent is ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled ? sent
                : context.RequestAborted.IsCancellationRequested ? ForwarderError.RequestCanceled
                : timedOut ? ForwarderError.RequestTimedOut
                : ForwarderError.Request;
            Error = Fail(context, error, exception);
            return Outcome.Closed;
        }

        /// <summary>The request body in the framing announced; a read that fails is the client's fault and stops the exchange.</summary>
        private async Task<ForwarderError> SendBodyAsync(bool chunked)
        {
            var reader = context.Request.BodyReader;
            var token = connection.Activity.Token;
            while (true)
            {
                ReadResult read;
                try
                {
                    read = await reader.ReadAsync(token);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
                {
                    return ForwarderError.RequestBodyDestination;
                }
                catch (Exception)
                {
                    connection.Activity.Cancel();
                    return context.RequestAborted.IsCancellationRequested ? ForwarderError.RequestBodyCanceled : ForwarderError.RequestBodyClient;
                }
                try
                {
                    foreach (var segment in read.Buffer)
                    {
                        if (chunked) await connection.SendAsync(ChunkHeader(segment.Length));
                        await connection.SendAsync(segment);
                        if (chunked) await connection.SendAsync("\r\n"u8.ToArray());
                    }
                    reader.AdvanceTo(read.Buffer.End);
                    if (read.IsCompleted)
                    {
                        if (chunked) await connection.SendAsync("0\r\n\r\n"u8.ToArray());
                        return ForwarderError.None;
                    }
                }
                catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
                {
                    return ForwarderError.RequestBodyDestination;
                }
            }
        }

        private static byte[] ChunkHeader(int length) => Encoding.ASCII.GetBytes($"{length:X}\r\n");

        private void CopyResponseHead()
        {
            var response = context.Response;
            response.StatusCode = _head.Status;
            if (_head.Reason != ReasonPhrases.GetReasonPhrase(_head.Status))
                context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = _head.Reason;
            var headers = response.Headers;
            foreach (var (name, value) in _head.Headers)
            {
                if (HopByHop.Contains(name)) continue;
                // Transfer-Encoding overrides Content-Length (RFC 9112 §6.3); the listener frames the body itself.
                if ((_head.Chunked || _head.OtherTransferCoding) && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
                headers[name] = headers.TryGetValue(name, out var known) ? StringValues.Concat(known, value) : new StringValues(value);
            }
        }

        /// <returns>Whether the body ended where its framing said, so that the connection can carry the next request.</returns>
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> CopyResponseBodyAsync()
        {
            var output = context.Response.BodyWriter;
            var noBody = HttpMethods.IsHead(context.Request.Method) || _head.Status is 204 or 304;
            try
            {
                if (noBody) return true;
                if (_head.Chunked) await connection.CopyChunkedAsync(output);
                else if (_head.ContentLength is { } length && !_head.OtherTransferCoding) await connection.CopyAsync(length, output);
                else
                {
                    await connection.CopyToEndAsync(output);
                    return false;
                }
                return true;
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                var error = e is ClientGoneException || context.RequestAborted.IsCancellationRequested ? ForwarderError.ResponseBodyClient
                    : ForwarderError.ResponseBodyDestination;
                Error = Fail(context, error, e);
                if (context.Response.HasStarted) context.Abort();
                else context.Response.Clear();
                return false;
            }
        }

        /// <summary>Request line, the client's headers less hop-by-hop and replaced ones, the backend Host, Azure's headers, the rule set's, and the framing.</summary>
        private void WriteHead(bool chunked)
        {
            var request = context.Request;
            var head = connection.Head;
            head.ResetWrittenCount();
            var sink = new HeadSink(head);
            Latin1(head, request.Method);
            Latin1(head, " ");
            Latin1(head, decision.BackendPath);
            Latin1(head, decision.Query.ToUriComponent());
            Latin1(head, " HTTP/1.1\r\n");

            var rewrites = decision.Rewrite.Headers;
            var host = hostHeader ?? (request.Host.HasValue ? request.Host.Value : null);
            if (host is not null && !Rewrites(rewrites, "Host")) sink.Add("Host", host);
            foreach (var (name, values) in request.Headers)
            {
                if (HopByHop.Contains(name) || name.StartsWith(':') || ForwardedHeaders.Replaces(name) || Rewrites(rewrites, name)) continue;
                if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
                sink.Add(name, values.Count == 1 ? values[0]! : string.Join(Separator(name), (IEnumerable<string?>)values));
            }
            ForwardedHeaders.Write(scope, ref sink);
            // Later rules override earlier ones; an empty value deletes the header.
            for (var i = 0; i < rewrites.Count; i++)
            {
                var (name, value) = rewrites[i];
                if (value.Length > 0 && !RewrittenLater(rewrites, i)) sink.Add(name, value);
            }
            if (chunked) sink.Add("Transfer-Encoding", "chunked");
            else if (request.Headers.ContentLength is { } length) sink.Add("Content-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            else if (!hasBody && MustHaveBody(request.Method)) sink.Add("Content-Length", "0");
            Latin1(head, "\r\n");
        }

        /// <summary>How HttpClient joins a header's values: cookies with <c>; </c> (as YARP does), product lists with a space.</summary>
        private static string Separator(string name) =>
            name.Equals("Cookie", StringComparison.OrdinalIgnoreCase) ? "; " : name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase) ? " " : ", ";

        /// <summary>HttpClient sends <c>Content-Length: 0</c> for a body-less request of any method but these.</summary>
        private static bool MustHaveBody(string method) =>
            !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsDelete(method)
              || HttpMethods.IsTrace(method) || HttpMethods.IsConnect(method));

        private static bool Rewrites(IReadOnlyList<KeyValuePair<string, string>> rewrites, string name)
        {
            foreach (var (rewritten, _) in rewrites)
                if (rewritten.Equals(name, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        private static bool RewrittenLater(IReadOnlyList<KeyValuePair<string, string>> rewrites, int index)
        {
            for (var i = index + 1; i < rewrites.Count; i++)
                if (rewrites[i].Key.Equals(rewrites[index].Key, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }
    }

    private static void Latin1(IBufferWriter<byte> writer, string text)
    {
        var span = writer.GetSpan(text.Length);
        var written = Encoding.Latin1.GetBytes(text, span);
        writer.Advance(written);
    }

    /// <summary>Writes <c>name: value</c> lines; a value with CR or LF is dropped, as YARP drops it, so that nothing can split the head.</summary>
    private readonly struct HeadSink(IBufferWriter<byte> head) : IHeaderSink
    {
        public void Add(string name, string value)
        {
            if (value.AsSpan().IndexOfAny('\r', '\n') >= 0) return;
            Latin1(head, name);
            Latin1(head, ": ");
            Latin1(head, value);
            Latin1(head, "\r\n");
        }
    }
}
