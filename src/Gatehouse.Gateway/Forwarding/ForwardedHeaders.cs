using Gatehouse.Gateway.Rewrites;

namespace Gatehouse.Gateway.Forwarding;

/// <summary>
/// The headers Azure adds to every backend request (appgw-behaviour §3). Incoming copies are dropped first,
/// so only X-Forwarded-For carries anything the client sent (it is appended to, as Azure does).
/// </summary>
internal static class ForwardedHeaders
{
    public const string ForwardedFor = "X-Forwarded-For";
    public const string ForwardedProto = "X-Forwarded-Proto";
    public const string ForwardedPort = "X-Forwarded-Port";
    public const string OriginalHost = "X-Original-Host";
    public const string OriginalUrl = "X-Original-URL";
    public const string TraceId = "X-AppGW-Trace-Id";

    private static readonly string[] Replaced = [ForwardedFor, ForwardedProto, ForwardedPort, OriginalHost, OriginalUrl, TraceId];

    /// <summary>Whether an incoming header of this name is dropped for the gateway's own.</summary>
    public static bool Replaces(string name)
    {
        foreach (var replaced in Replaced)
            if (replaced.Equals(name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>Each header in the order it is sent; X-Original-Host only when the request had a Host.</summary>
    public static void Write<TSink>(RequestScope scope, ref TSink sink) where TSink : struct, IHeaderSink
    {
        var request = scope.Context.Request;
        sink.Add(ForwardedFor, scope.AppendForwardedFor(scope.ClientEndPoint));
        sink.Add(ForwardedProto, request.Scheme);
        sink.Add(ForwardedPort, scope.Listener.FrontendPortText);
        if (request.Host.HasValue) sink.Add(OriginalHost, request.Host.Value);
        sink.Add(OriginalUrl, ServerVariables.RequestUri(scope.Context));
        sink.Add(TraceId, scope.TraceId);
    }

    public static void Apply(RequestScope scope, HttpRequestMessage proxyRequest)
    {
        var headers = proxyRequest.Headers;
        foreach (var name in Replaced) headers.Remove(name);
        var sink = new MessageSink(headers);
        Write(scope, ref sink);
    }

    private readonly struct MessageSink(System.Net.Http.Headers.HttpRequestHeaders headers) : IHeaderSink
    {
        public void Add(string name, string value) => headers.TryAddWithoutValidation(name, value);
    }
}

/// <summary>Where a request's outgoing headers go: an HttpRequestMessage (YARP's path) or a backend connection's head (the lean path).</summary>
internal interface IHeaderSink
{
    void Add(string name, string value);
}
