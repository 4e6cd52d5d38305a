using Gatehouse.Network.ApplicationGateways;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Gateway.Backends;

/// <summary>
/// Identifies a (backendAddressPool, backendHttpSettings) pair, whose health and positions outlive plans; a load
/// distribution policy takes the pool's place for the members of its targets' pools.
/// </summary>
internal readonly record struct ClusterKey(string PoolId, string SettingsId)
{
    /// <summary>Ids compare case-insensitively, as ARM's do.</summary>
    public static ClusterKey Of(string poolId, string settingsId) => new(poolId.ToLowerInvariant(), settingsId.ToLowerInvariant());
}

/// <summary>
/// A backendAddressPool under one backendHttpSettings, as compiled: how each member is reached and probed, and the
/// settings every forward uses. Shared by every rule that names the pair. <see cref="Index"/> is its place in the
/// plan, where the host keeps its runtime state.
/// </summary>
/// <param name="PoolId">The pool's id as the gateway writes it (the key folds case), or the load distribution policy's.</param>
/// <param name="PathOverride">The settings' <c>path</c> without its trailing <c>/</c>; null sends the request's own path.</param>
/// <param name="DrainTimeout">How long a member a redeploy removes keeps serving its affinity sessions; null when draining is off.</param>
internal sealed record ClusterPlan(
    int Index,
    ClusterKey Key,
    string GatewayId,
    string PoolId,
    string SettingsId,
    IReadOnlyList<BackendMember> Members,
    ForwarderRequestConfig RequestConfig,
    string? PathOverride,
    AffinityCookie? Affinity,
    ProbePlan Probe,
    TimeSpan? DrainTimeout,
    BackendTls Tls)
{
    /// <summary>How a member is picked: weighted round robin unless a load distribution policy says otherwise.</summary>
    public LoadDistributionAlgorithm Distribution { get; init; } = LoadDistributionAlgorithm.RoundRobin;

    /// <summary>The pools the members come from: <see cref="PoolId"/>, or a load distribution policy's target pools.</summary>
    public required IReadOnlyList<string> PoolIds { get; init; }

    /// <summary>The path the backend receives: the override path in front of the remainder (appgw-behaviour §5.8), or the path itself.</summary>
    public string BackendPath(string path, string remainder) => PathOverride is null
        ? path
        : PathOverride + (remainder.StartsWith('/') ? remainder : "/" + remainder);
}

/// <summary>A pool member as the forwarder and the prober reach it.</summary>
/// <param name="Address">The pool entry as written (FQDN or IP address), as backend health reports it.</param>
/// <param name="Prefix"><c>scheme://address:port</c>, the address resolved through <c>--resolve</c> when it names the member.</param>
/// <param name="HostHeader">The settings' hostName or the member's name; null keeps the client's Host.</param>
/// <param name="AffinityValue">What the affinity cookie carries to come back to this member.</param>
/// <param name="ProbeUri">Where the member's health probe goes.</param>
/// <param name="ProbeHost">The probe's Host header.</param>
/// <param name="PoolId">The pool the member is listed in, as backend health groups it.</param>
/// <param name="Weight">How many turns the member takes per round (a load distribution target's weightPerServer; 1 otherwise).</param>
internal sealed record BackendMember(string Address, string Prefix, string? HostHeader, string AffinityValue, Uri ProbeUri, string ProbeHost, string PoolId, int Weight)
{
    /// <summary><c>address:port</c> as reached: the access log's serverRouted and the BackendServer metric dimension.</summary>
    /// <remarks>Formatted once, not per logged request; from <see cref="Prefix"/> alone, so that equal members stay equal records.</remarks>
    public string Server { get; } = ServerOf(new Uri(Prefix));

    /// <summary><see cref="Prefix"/> parsed: a layer-4 member's scheme is tcp or tls.</summary>
    public Uri Endpoint { get; } = new(Prefix);

    private static string ServerOf(Uri endpoint) => $"{endpoint.Host}:{endpoint.Port}";
}
