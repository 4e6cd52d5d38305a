using Gatehouse.Gateway.Rewrites;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Gateway.Routing;

/// <summary>
/// Where one request goes once its rule's path map and its rule set's URL rewrites have spoken: the target, the
/// path and query the backend gets, and the request headers to set. A <c>null</c> target is a reroute loop.
/// </summary>
internal readonly record struct RouteDecision(RouteTarget? Target, string BackendPath, QueryString Query, RequestRewrite Rewrite)
{
    /// <summary>
    /// A rewritten path with <c>reroute</c> picks a path rule again, once; a second reroute would loop, which Azure
    /// answers with 500 (appgw-behaviour §2.4). Without reroute the rewritten path is sent as a Basic rule sends paths.
    /// </summary>
    public static RouteDecision Decide(RoutePlan route, RequestScope scope, string path, QueryString query)
    {
        var match = route.Select(path);
        if (match.Target is not ForwardTarget target) return new(match.Target, path, query, RequestRewrite.None);
        var rewrite = target.Rewrites.EvaluateRequest(scope);
        if (rewrite.Path is { } rewritten)
        {
            path = rewritten.StartsWith('/') ? rewritten : "/" + rewritten;
            // A Basic rule has no path map to consult again.
            var reroute = rewrite.Reroute && route.PathRules.Count > 0;
            match = reroute ? route.Select(path) : new RouteMatch(target, path);
            if (reroute && match.Target is ForwardTarget rerouted)
            {
                var again = rerouted.Rewrites.EvaluateRequest(scope);
                if (again.Reroute && again.Path is not null) return new(null, path, query, rewrite);
                rewrite = rewrite.Then(again);
            }
        }
        if (rewrite.Query is { } rewrittenQuery) query = rewrittenQuery.Length == 0 ? QueryString.Empty : new QueryString("?" + rewrittenQuery);
        return match.Target is ForwardTarget forward
            ? new(forward, forward.Cluster.BackendPath(path, match.Remainder), query, rewrite)
            : new(match.Target, path, query, rewrite);
    }
}
