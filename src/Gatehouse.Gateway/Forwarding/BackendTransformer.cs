using Gatehouse.Gateway.Rewrites;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Gateway.Forwarding;

/// <summary>
/// Shapes one forwarded exchange: YARP's header copy (which adds no forwarded headers of its own), then
/// Azure's headers, the backend Host, and the rule set's request rewrites; response rewrites on the way back.
/// </summary>
/// <param name="backendPath">The path the route chose for the backend (override path, rewrites).</param>
internal sealed class BackendTransformer(RequestScope scope, RewritePlan rewrites, string? hostHeader, string backendPath) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, new PathString(backendPath), httpContext.Request.QueryString);
        ForwardedHeaders.Apply(scope, proxyRequest);
        proxyRequest.Headers.Host = hostHeader ?? (httpContext.Request.Host.HasValue ? httpContext.Request.Host.Value : null);
        rewrites.ApplyToRequest(scope, proxyRequest);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        // No backend response means the gateway answers itself, and Azure does not rewrite its own pages.
        if (proxyResponse is not null) rewrites.ApplyToResponse(scope);
        return proceed;
    }
}
