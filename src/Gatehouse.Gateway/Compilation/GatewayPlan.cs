using System.Collections.Frozen;
using Gatehouse.Gateway.Backends;
using Gatehouse.Gateway.Compilation;

namespace Gatehouse.Gateway;

/// <summary>
/// Every deployed gateway compiled for serving: one <see cref="PortPlan"/> per local socket, each holding its
/// listeners with certificates, TLS policies, routes and rewrites already built. Immutable; the host swaps
/// whole plans, so the request path never sees a half-applied configuration. It owns the certificates it loaded
/// (private keys included): whoever holds the plan disposes it, which the host does once a retired plan's last
/// connection and request are done.
/// </summary>
public sealed class GatewayPlan : IDisposable
{
    private readonly PlanCertificates _certificates;

    internal GatewayPlan(FrozenDictionary<PortBinding, PortPlan> ports, IReadOnlyList<ClusterPlan> clusters, PlanCertificates certificates)
    {
        Ports = ports;
        Clusters = clusters;
        _certificates = certificates;
    }

    /// <summary>A plan that serves nothing, as the host starts.</summary>
    internal static GatewayPlan Empty() => new(FrozenDictionary<PortBinding, PortPlan>.Empty, [], new PlanCertificates());

    internal FrozenDictionary<PortBinding, PortPlan> Ports { get; }

    /// <summary>Every (pool, settings) pair a rule forwards to, by <see cref="ClusterPlan.Index"/>.</summary>
    internal IReadOnlyList<ClusterPlan> Clusters { get; }

    /// <summary>Every custom error page a listener names, which the host fetches before serving the plan.</summary>
    internal IEnumerable<string> CustomErrorPageUrls =>
        Ports.Values.SelectMany(p => p.Listeners).SelectMany(l => l.CustomErrorPageUrls.Values).Distinct(StringComparer.Ordinal);

    public void Dispose() => _certificates.Dispose();
}
