using System.Net.Sockets;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Errors;
using Gatehouse.Gateway.Compilation;
using Gatehouse.Gateway.Forwarding;
using Gatehouse.Gateway.Tls;
using Gatehouse.Network.ApplicationGateways;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Gateway.Backends;

/// <summary>
/// Compiles (pool, settings) pairs for one plan, once each however many rules name them, numbering them in the
/// order met so the host can keep their runtime state in an array beside the plan.
/// </summary>
internal sealed class ClusterCatalog(GatewayEnvironment environment, PlanCertificates owned)
{
    private const int DefaultRequestTimeoutSeconds = 20;
    private const string LoopbackProbeHost = "127.0.0.1";

    private readonly Dictionary<string, string> _resolve = new(environment.Resolve, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<ClusterKey, ClusterPlan> _byKey = [];
    private readonly List<ClusterPlan> _clusters = [];

    public IReadOnlyList<ClusterPlan> Clusters => _clusters;

    private static Probe? ProbeOf(ApplicationGateway gateway, string? probeId) =>
        probeId is null ? null : gateway.Probes.Single(p => string.Equals(p.Id, probeId, StringComparison.OrdinalIgnoreCase));

    public ClusterPlan For(ApplicationGateway gateway, BackendAddressPool pool, BackendHttpSettings settings) =>
        For(gateway, pool.Id, [pool.Id], [.. pool.BackendAddresses.Select(a => (a, pool.Id, 1))], LoadDistributionAlgorithm.RoundRobin, settings);

    /// <summary>
    /// The members of a load distribution policy's target pools under one backendHttpSettings, each weighing its
    /// target's weightPerServer (a member listed in several targets takes the first one's), picked by the policy's algorithm.
    /// </summary>
    public ClusterPlan For(ApplicationGateway gateway, LoadDistributionPolicy policy, BackendHttpSettings settings)
    {
        // References were checked when the gateway was provisioned.
        var members = policy.Targets.SelectMany(target => gateway.BackendAddressPools
                .Single(p => string.Equals(p.Id, target.BackendAddressPoolId, StringComparison.OrdinalIgnoreCase)).BackendAddresses
                .Select(a => (a, target.BackendAddressPoolId!, target.WeightPerServer)))
            .DistinctBy(m => m.a.Host, StringComparer.OrdinalIgnoreCase);
        return For(gateway, policy.Id, [.. policy.Targets.Select(t => t.BackendAddressPoolId!)], [.. members], policy.Algorithm, settings);
    }

    private ClusterPlan For(ApplicationGateway gateway, string poolId, string[] poolIds, (BackendAddress Address, string PoolId, int Weight)[] members,
        LoadDistributionAlgorithm distribution, BackendHttpSettings settings)
    {
        var key = ClusterKey.Of(poolId, settings.Id);
        if (_byKey.TryGetValue(key, out var known)) return known;

        // References, status ranges and root certificates were checked when the gateway was provisioned.
        var probe = ProbeOf(gateway, settings.ProbeId);
        var timeout = settings.RequestTimeoutSeconds > 0 ? settings.RequestTimeoutSeconds : DefaultRequestTimeoutSeconds;
        var config = new ForwarderRequestConfig
        {
            ActivityTimeout = TimeSpan.FromSeconds(timeout),
            // Backends always get HTTP/1.1, whatever the client spoke (appgw-behaviour §3).
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        var cluster = new ClusterPlan(
            _clusters.Count,
            key,
            gateway.Id,
            poolId,
            settings.Id,
            [.. members.Select(m => Member(m.Address, settings, probe, m.PoolId, m.Weight))],
            config,
            string.IsNullOrEmpty(settings.Path) ? null : settings.Path.TrimEnd('/'),
            settings.CookieBasedAffinity ? new AffinityCookie(settings.AffinityCookieName) : null,
            probe is null ? ProbePlan.Default : CompileProbe(probe),
            settings.ConnectionDraining is { Enabled: true } draining ? TimeSpan.FromSeconds(draining.DrainTimeoutInSec) : null,
            new BackendTls(TrustedRoots(gateway, settings.TrustedRootCertificateIds), settings.ValidateCertChainAndExpiry, settings.ValidateSni,
                settings.Protocol == ListenerProtocol.Https ? settings.SniName : null))
        {
            Distribution = distribution,
            PoolIds = poolIds,
        };
        _byKey[key] = cluster;
        _clusters.Add(cluster);
        return cluster;
    }

    /// <summary>
    /// A pool under layer-4 settings: each member reached over TCP (or TLS, with the settings' hostName or the member's
    /// name as SNI), probed by connecting, idle connections closed after the settings' timeout.
    /// </summary>
    public ClusterPlan For(ApplicationGateway gateway, BackendAddressPool pool, BackendSettings settings)
    {
        var key = ClusterKey.Of(pool.Id, settings.Id);
        if (_byKey.TryGetValue(key, out var known)) return known;

        var probe = ProbeOf(gateway, settings.ProbeId);
        var scheme = settings.Protocol == ListenerProtocol.Tls ? BackendConnector.TlsScheme : "tcp";
        var members = pool.BackendAddresses.Select(a =>
        {
            var (authority, port) = Reach(a, settings.Port, pool.Id);
            return new BackendMember(a.Host, $"{scheme}://{authority}:{port}", settings.HostName ?? (settings.PickHostNameFromBackendAddress ? a.Host : null),
                AffinityValue(pool.Id, a.Host), new Uri($"{scheme}://{authority}:{probe?.Port ?? port}"), "", pool.Id, 1) { Name = NameOf(a) };
        });
        var cluster = new ClusterPlan(
            _clusters.Count,
            key,
            gateway.Id,
            pool.Id,
            settings.Id,
            [.. members],
            new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(settings.TimeoutSeconds) },
            null,
            null,
            probe is null ? ProbePlan.DefaultLayer4 : CompileProbe(probe),
            null,
            new BackendTls(TrustedRoots(gateway, settings.TrustedRootCertificateIds), validateChain: true, validateName: true, sniName: null))
        {
            PoolIds = [pool.Id],
        };
        _byKey[key] = cluster;
        _clusters.Add(cluster);
        return cluster;
    }

    private X509Certificate2Collection TrustedRoots(ApplicationGateway gateway, IReadOnlyList<string> rootIds)
    {
        var roots = new X509Certificate2Collection();
        foreach (var id in rootIds)
        {
            var root = gateway.TrustedRootCertificates.Single(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));
            // A root Key Vault did not give is reported with the plan's unreadable certificates; backends are not trusted through it.
            if (root.Unreadable is not null) continue;
            roots.AddRange(owned.Own(PublicCertificates.TryLoad(root.Data ?? "")!));
        }
        return roots;
    }

    private static ProbePlan CompileProbe(Probe probe) => new(
        TimeSpan.FromSeconds(probe.IntervalSeconds),
        TimeSpan.FromSeconds(probe.TimeoutSeconds),
        probe.UnhealthyThreshold,
        probe.Match.StatusCodes.Count == 0
            ? ProbePlan.Default.Statuses
            : [.. probe.Match.StatusCodes.Select(s => StatusCodeRange.Parse(s)!.Value)],
        string.IsNullOrEmpty(probe.Match.Body) ? null : probe.Match.Body)
    {
        ConnectOnly = probe.Protocol is ListenerProtocol.Tcp or ListenerProtocol.Tls,
    };

    /// <summary>
    /// Where the member is reached: through <see cref="GatewayEnvironment.Resolve"/> when it names the member
    /// (its port replacing the settings' port), else as written. A custom probe sends its own host (or the
    /// settings' one when it says so) on its own protocol and port; the default probe sends 127.0.0.1 unless the
    /// settings name a host.
    /// </summary>
    private BackendMember Member(BackendAddress member, BackendHttpSettings settings, Probe? probe, string poolId, int weight)
    {
        var (authority, port) = Reach(member, settings.Port, poolId);
        var hostHeader = settings.HostName ?? (settings.PickHostNameFromBackendAddress ? member.Host : null);
        var sniName = settings.Protocol == ListenerProtocol.Https ? settings.SniName : null;
        var probeScheme = BackendClient.Scheme((probe?.Protocol ?? settings.Protocol) == ListenerProtocol.Https, sniName);
        var probeHost = probe switch
        {
            null => hostHeader ?? LoopbackProbeHost,
            { PickHostNameFromBackendHttpSettings: true } => hostHeader ?? member.Host,
            _ => probe.Host ?? LoopbackProbeHost,
        };
        var probePort = probe?.Port ?? port;
        return new BackendMember(member.Host, $"{BackendClient.Scheme(settings.Protocol == ListenerProtocol.Https, sniName)}://{authority}:{port}", hostHeader,
            AffinityValue(poolId, member.Host), new Uri($"{probeScheme}://{authority}:{probePort}{probe?.Path ?? "/"}"), probeHost, poolId, weight)
        {
            Name = NameOf(member),
        };
    }

    /// <summary>The member's name as DNS resolves it: an FQDN no <see cref="GatewayEnvironment.Resolve"/> entry names, when the environment resolves names.</summary>
    private BackendName? NameOf(BackendAddress member) =>
        environment.BackendNames is { } names && member.Fqdn is { } fqdn && !_resolve.ContainsKey(fqdn) && !IPAddress.TryParse(fqdn, out _) ? names.For(fqdn) : null;

    /// <summary>The member's authority (an IPv6 address in brackets) and port, through <see cref="GatewayEnvironment.Resolve"/> when it names the member.</summary>
    private (string Authority, int Port) Reach(BackendAddress member, int settingsPort, string poolId)
    {
        var (address, port) = _resolve.TryGetValue(member.Host, out var resolved)
            ? SplitAddress(resolved, settingsPort, poolId)
            : (member.Host, settingsPort);
        return (IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : address, port);
    }

    /// <summary>A hash of the pool and member: stable across plans and restarts, and telling a client nothing about the address.</summary>
    private static string AffinityValue(string poolId, string member) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{poolId.ToLowerInvariant()}|{member.ToLowerInvariant()}")).AsSpan(0, 16));

    /// <summary><c>address</c>, <c>address:port</c>, <c>[v6]:port</c> or a bare IPv6 address.</summary>
    private static (string Address, int Port) SplitAddress(string value, int defaultPort, string target)
    {
        string address;
        string? port;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']');
            address = close > 0 ? value[1..close] : value;
            port = close > 0 && value.Length > close + 1 && value[close + 1] == ':' ? value[(close + 2)..] : null;
        }
        else if (value.Count(c => c == ':') == 1)
        {
            var colon = value.IndexOf(':');
            (address, port) = (value[..colon], value[(colon + 1)..]);
        }
        else
        {
            (address, port) = (value, null);
        }
        if (port is null) return (address, defaultPort);
        if (!int.TryParse(port, out var number) || number is < 1 or > 65535)
            throw new ArmException(ArmErrors.ResolveEntryInvalid(target, value));
        return (address, number);
    }
}
