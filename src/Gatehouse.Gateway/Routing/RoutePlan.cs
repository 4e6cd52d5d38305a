using Gatehouse.Gateway.Rewrites;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Gateway.Routing;

/// <summary>What a routing rule does with a request, decided at compile time.</summary>
internal abstract record RoutePlan(string RuleName);

/// <summary>A Basic rule: forward to the backend pool with the settings' timeout and the rule's rewrite set.</summary>
internal sealed record BackendRoute(string RuleName, BackendPoolPlan Pool, RewritePlan Rewrites, ForwarderRequestConfig RequestConfig)
    : RoutePlan(RuleName);

/// <summary>A rule kind the data plane does not serve yet; answered with a page that says so.</summary>
internal sealed record UnsupportedRoute(string RuleName, GatewayPage Page) : RoutePlan(RuleName);

/// <summary>A pool member as the forwarder reaches it: <c>scheme://address:port[/settings path]</c> and the Host to send.</summary>
/// <param name="HostHeader">The settings' hostName or the member's name; null keeps the client's Host.</param>
internal sealed record BackendDestination(string Prefix, string? HostHeader)
{
    /// <summary><c>address:port</c>: the access log's serverRouted and the BackendServer metric dimension.</summary>
    public string Server { get; } = new Uri(Prefix) is var uri ? $"{uri.Host}:{uri.Port}" : "";
}

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
