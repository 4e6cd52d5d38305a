using Gatehouse.Gateway.Authentication;
using Gatehouse.Gateway.Waf;
using Gatehouse.Gateway.Backends;
using Gatehouse.Gateway.Rewrites;

namespace Gatehouse.Gateway.Routing;

/// <summary>
/// A routing rule compiled. A Basic rule is its default target alone; a path-based rule tries its path rules in
/// the order listed and falls back to the map's defaults.
/// </summary>
internal sealed record RoutePlan(string RuleName, IReadOnlyList<PathRulePlan> PathRules, RouteTarget Default)
{
    /// <summary>The token check the rule's requests go through before routing; none when null.</summary>
    public EntraJwtValidation? EntraJwt { get; init; }

    /// <summary>The first path rule with a path that matches <paramref name="path"/> (the path only, never the query), else the default.</summary>
    public RouteMatch Select(string path)
    {
        foreach (var rule in PathRules)
            foreach (var pattern in rule.Paths)
                if (pattern.TryMatch(path, out var remainder)) return new RouteMatch(rule.Target, remainder, pattern);
        return new RouteMatch(Default, path, null);
    }

    /// <summary>Every rewrite set the rule can apply.</summary>
    public IEnumerable<RewritePlan> RewriteSets =>
        PathRules.Select(r => r.Target).Append(Default).OfType<ForwardTarget>().Select(t => t.Rewrites);
}

/// <param name="Remainder">What the settings' override path is put in front of (appgw-behaviour §5.8).</param>
/// <param name="Pattern">The path rule's path that matched; null for the map's default.</param>
internal readonly record struct RouteMatch(RouteTarget Target, string Remainder, PathPattern? Pattern);

internal sealed record PathRulePlan(string Name, IReadOnlyList<PathPattern> Paths, RouteTarget Target);

/// <summary>Where a matched request goes: to a backend pool, or back to the client as a redirect.</summary>
internal abstract record RouteTarget;

/// <summary>Forward to a (pool, settings) pair, with the rule set's rewrites.</summary>
/// <param name="Waf">The firewall policy its requests run under (the path rule's, the listener's or the gateway's); null for none.</param>
internal sealed record ForwardTarget(ClusterPlan Cluster, RewritePlan Rewrites, WafAssociation? Waf = null) : RouteTarget;

internal sealed record RedirectTarget(RedirectPlan Redirect) : RouteTarget;
