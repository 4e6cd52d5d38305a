using Gatehouse.Gateway.Rewrites;

namespace Gatehouse.Gateway.Forwarding;

/// <summary>
/// The headers Azure adds to every backend request (appgw-behaviour §3). Incoming copies are dropped first,
/// so only X-Forwarded-For carries anything the client sent (it is appended to, as Azure does).
/// </summary>
internal static class ForwardedHeaders
{
    private const string ForwardedFor = "X-Forwarded-For";
    private const string ForwardedProto = "X-Forwarded-Proto";
    private const string ForwardedPort = "X-Forwarded-Port";
    private const string OriginalHost = "X-Original-Host";
    private const string OriginalUrl = "X-Original-URL";
    private const string TraceId = "X-AppGW-Trace-Id";

    private static readonly string[] Replaced = [ForwardedFor, ForwardedProto, ForwardedPort, OriginalHost, OriginalUrl, TraceId];

    public static void Apply(RequestScope scope, HttpRequestMessage proxyRequest)
    {
        var headers = proxyRequest.Headers;
        foreach (var name in Replaced) headers.Remove(name);
        var request = scope.Context.Request;
        headers.TryAddWithoutValidation(ForwardedFor, scope.AppendForwardedFor(scope.ClientEndPoint));
        headers.TryAddWithoutValidation(ForwardedProto, request.Scheme);
        headers.TryAddWithoutValidation(ForwardedPort, scope.Listener.FrontendPortText);
        if (request.Host.HasValue) headers.TryAddWithoutValidation(OriginalHost, request.Host.Value);
        headers.TryAddWithoutValidation(OriginalUrl, ServerVariables.RequestUri(scope.Context));
        headers.TryAddWithoutValidation(TraceId, scope.TraceId);
    }
}
