using System.Net;
using System.Net.Sockets;
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

    /// <summary>The member's name as DNS resolves it (an FQDN that no <c>--resolve</c> entry names); null when its address is fixed.</summary>
    public BackendName? Name { get; init; }

    /// <summary>The name a layer-4 TLS connection sends and checks: the settings' host name, else the member's name when DNS resolves it.</summary>
    public string? ServerName => HostHeader ?? (Name is null ? null : Address);

    private MemberReach? _fixed;
    private volatile MemberReach? _lastReached;

    private MemberReach Fixed => _fixed ??= new MemberReach(null, Prefix, Endpoint, ProbeUri);

    /// <summary>
    /// Where the next request or probe goes: <see cref="Prefix"/>, <see cref="Endpoint"/> and <see cref="ProbeUri"/> with the
    /// address <see cref="Name"/> has now (its addresses in turn); as written when the address is fixed, or DNS gave none
    /// (the system's resolver then looks the name up, as its hosts file may know it).
    /// </summary>
    public ValueTask<MemberReach> ReachAsync(CancellationToken cancellationToken) =>
        Name is null ? ValueTask.FromResult(Fixed) : ReachNamedAsync(Name, cancellationToken);

    private async ValueTask<MemberReach> ReachNamedAsync(BackendName name, CancellationToken cancellationToken)
    {
        if (await name.NextAsync(cancellationToken) is not { } address) return Fixed;
        return _lastReached is { } last && address.Equals(last.Address) ? last : _lastReached = At(address);
    }

    /// <summary>The member reached at <paramref name="address"/>: the same scheme, port and probe path.</summary>
    public MemberReach At(IPAddress address)
    {
        var authority = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        var prefix = $"{Endpoint.Scheme}://{authority}:{Endpoint.Port}";
        return new MemberReach(address, prefix, new Uri(prefix), new UriBuilder(ProbeUri) { Host = authority }.Uri);
    }
}

/// <summary>A member as one request or probe reaches it: at <paramref name="Address"/> when DNS resolved its name, else as written.</summary>
internal sealed record MemberReach(IPAddress? Address, string Prefix, Uri Endpoint, Uri ProbeUri);
