using Gatehouse.Gateway.Rewrites;
using Gatehouse.Gateway.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Gateway.Forwarding;

/// <summary>
/// Shapes one forwarded exchange: YARP's header copy (which adds no forwarded headers of its own), then
/// Azure's headers, the backend Host, and the rule set's request rewrites; response rewrites on the way back.
/// </summary>
/// <param name="decision">The path, query and request headers the route decided on.</param>
/// <param name="rewrites">The rule set, for the response.</param>
/// <param name="affinityCookies">Set-Cookie values that bind the client to the member; null when it is bound already or affinity is off.</param>
internal sealed class BackendTransformer(RequestScope scope, RouteDecision decision, RewritePlan rewrites, string? hostHeader,
    string[]? affinityCookies) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.RequestUri = DestinationAddress(destinationPrefix, decision);
        ForwardedHeaders.Apply(scope, proxyRequest);
        proxyRequest.Headers.Host = hostHeader ?? (httpContext.Request.Host.HasValue ? httpContext.Request.Host.Value : null);
        decision.Rewrite.ApplyTo(proxyRequest);
    }

    /// <summary>
    /// The backend path is encoded already: YARP's builder would encode it again (<c>%2F</c> as <c>%252F</c>), and
    /// Uri's canonicalization would rewrite what the client sent.
    /// </summary>
    private static Uri DestinationAddress(string prefix, RouteDecision decision) =>
        new(string.Concat(prefix.AsSpan().TrimEnd('/'), decision.BackendPath, decision.Query.ToUriComponent()),
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        // No backend response means the gateway answers itself, and Azure does not rewrite its own pages.
        if (proxyResponse is null) return proceed;
        ShapeResponse(httpContext);
        return proceed;
    }

    /// <summary>What the gateway adds to a backend's response headers on either path: the affinity cookie, then the rule set's response rewrites.</summary>
    public void ShapeResponse(HttpContext httpContext)
    {
        if (affinityCookies is not null) httpContext.Response.Headers.Append(HeaderNames.SetCookie, affinityCookies);
        rewrites.ApplyToResponse(scope);
    }
}
