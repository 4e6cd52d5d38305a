using Gatehouse.Gateway.Rewrites;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Gateway.Routing;

/// <summary>
/// Where one request goes once its rule's path map and its rule set's URL rewrites have spoken: the target, the
/// path (percent-encoded, as it goes on the wire) and query the backend gets, and the request headers to set.
/// A <c>null</c> target is a reroute loop.
/// </summary>
internal readonly record struct RouteDecision(RouteTarget? Target, string BackendPath, QueryString Query, RequestRewrite Rewrite)
{
    /// <summary>
    /// A rewritten path with <c>reroute</c> picks a path rule again, once; a second reroute would loop, which Azure
    /// answers with 500 (appgw-behaviour §2.4). Without reroute the rewritten path is sent as a Basic rule sends paths.
    /// Path rules match the decoded <paramref name="path"/>; the backend gets the path byte for byte as the client
    /// sent it (<c>%2F</c> included), as nginx passes it, unless a rewrite replaces it.
    /// </summary>
    public static RouteDecision Decide(RoutePlan route, RequestScope scope, string path, QueryString query)
    {
        var match = route.Select(path);
        if (match.Target is not ForwardTarget target) return new(match.Target, path, query, RequestRewrite.None);
        var sentPath = SentPath(scope.Context, path);
        var rewrite = target.Rewrites.EvaluateRequest(scope);
        if (rewrite.Path is { } rewritten)
        {
            path = rewritten.StartsWith('/') ? rewritten : "/" + rewritten;
            sentPath = Encode(path);
            // A Basic rule has no path map to consult again.
            var reroute = rewrite.Reroute && route.PathRules.Count > 0;
            match = reroute ? route.Select(path) : new RouteMatch(target, path, null);
            if (reroute && match.Target is ForwardTarget rerouted)
            {
                var again = rerouted.Rewrites.EvaluateRequest(scope);
                if (again.Reroute && again.Path is not null) return new(null, path, query, rewrite);
                rewrite = rewrite.Then(again);
            }
        }
        if (rewrite.Query is { } rewrittenQuery) query = rewrittenQuery.Length == 0 ? QueryString.Empty : new QueryString("?" + rewrittenQuery);
        return match.Target is ForwardTarget forward
            ? new(forward, forward.Cluster.BackendPath(sentPath, SentRemainder(match, sentPath)), query, rewrite)
            : new(match.Target, path, query, rewrite);
    }

    /// <summary>The request target's path as it came on the wire; the encoded decoded path for a target in absolute form.</summary>
    private static string SentPath(HttpContext context, string path)
    {
        var target = ServerVariables.RequestUri(context);
        if (!target.StartsWith('/')) return Encode(path);
        var query = target.IndexOf('?');
        return query < 0 ? target : target[..query];
    }

    /// <summary>
    /// The part of the sent path after the path rule's prefix; a client that percent-encoded the prefix itself gets
    /// the decoded remainder encoded.
    /// </summary>
    private static string SentRemainder(RouteMatch match, string sentPath) => match.Pattern switch
    {
        null => sentPath,
        var pattern => pattern.TryMatch(sentPath, out var remainder) ? remainder : Encode(match.Remainder),
    };

    private static string Encode(string path) => new PathString(path).ToUriComponent();
}
