using Gatehouse.Gateway.Rewrites;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Gateway.Routing;

/// <summary>
/// A routing rule compiled. A Basic rule is its default target alone; a path-based rule tries its path rules in
/// the order listed and falls back to the map's defaults.
/// </summary>
internal sealed record RoutePlan(string RuleName, IReadOnlyList<PathRulePlan> PathRules, RouteTarget Default)
{
    /// <summary>The first path rule with a path that matches <paramref name="path"/> (the path only, never the query), else the default.</summary>
    public RouteMatch Select(string path)
    {
        foreach (var rule in PathRules)
            foreach (var pattern in rule.Paths)
                if (pattern.TryMatch(path, out var remainder)) return new RouteMatch(rule.Target, remainder);
        return new RouteMatch(Default, path);
    }

    /// <summary>Every rewrite set the rule can apply.</summary>
    public IEnumerable<RewritePlan> RewriteSets =>
        PathRules.Select(r => r.Target).Append(Default).OfType<ForwardTarget>().Select(t => t.Rewrites);
}

/// <param name="Remainder">What the settings' override path is put in front of (appgw-behaviour §5.8).</param>
internal readonly record struct RouteMatch(RouteTarget Target, string Remainder);

internal sealed record PathRulePlan(string Name, IReadOnlyList<PathPattern> Paths, RouteTarget Target);

/// <summary>Where a matched request goes: to a backend pool, or back to the client as a redirect.</summary>
internal abstract record RouteTarget;

/// <summary>Forward to the pool under its settings, with the rule set's rewrites.</summary>
/// <param name="PathOverride">The settings' <c>path</c> without its trailing <c>/</c>; null sends the request's own path.</param>
internal sealed record ForwardTarget(BackendPoolPlan Pool, RewritePlan Rewrites, ForwarderRequestConfig RequestConfig, string? PathOverride)
    : RouteTarget
{
    /// <summary>The path the backend receives: the override path in front of the remainder, or the path itself.</summary>
    public string BackendPath(string path, string remainder) => PathOverride is null
        ? path
        : PathOverride + (remainder.StartsWith('/') ? remainder : "/" + remainder);
}

internal sealed record RedirectTarget(RedirectPlan Redirect) : RouteTarget;

/// <summary>A pool member as the forwarder reaches it: <c>scheme://address:port</c> and the Host to send.</summary>
/// <param name="HostHeader">The settings' hostName or the member's name; null keeps the client's Host.</param>
internal sealed record BackendDestination(string Prefix, string? HostHeader);

/// <summary>A backendAddressPool under one backendHttpSettings, with its round-robin position.</summary>
internal sealed class BackendPoolPlan(BackendDestination[] members)
{
    private int _next = -1;

    /// <summary>The next member in round-robin order; null for an empty pool.</summary>
    public BackendDestination? Next()
    {
        if (members.Length == 0) return null;
        var index = (uint)Interlocked.Increment(ref _next) % (uint)members.Length;
        return members[index];
    }
}
