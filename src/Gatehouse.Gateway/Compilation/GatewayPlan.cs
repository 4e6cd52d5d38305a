using System.Collections.Frozen;
using Gatehouse.Gateway.Backends;
using Gatehouse.Gateway.Compilation;
using Gatehouse.Gateway.Waf;

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
    private readonly IReadOnlyList<WafPlan> _firewalls;

    internal GatewayPlan(FrozenDictionary<PortBinding, PortPlan> ports, IReadOnlyList<ClusterPlan> clusters, PlanCertificates certificates,
        IReadOnlyList<WafPlan>? firewalls = null)
    {
        Ports = ports;
        Clusters = clusters;
        _certificates = certificates;
        _firewalls = firewalls ?? [];
    }

    /// <summary>A plan that serves nothing, as the host starts.</summary>
    internal static GatewayPlan Empty() => new(FrozenDictionary<PortBinding, PortPlan>.Empty, [], new PlanCertificates());

    internal FrozenDictionary<PortBinding, PortPlan> Ports { get; }

    /// <summary>Every (pool, settings) pair a rule forwards to, by <see cref="ClusterPlan.Index"/>.</summary>
    internal IReadOnlyList<ClusterPlan> Clusters { get; }

    /// <summary>Every custom error page a listener names, which the host fetches before serving the plan.</summary>
    internal IEnumerable<string> CustomErrorPageUrls =>
        Ports.Values.SelectMany(p => p.Listeners).SelectMany(l => l.CustomErrorPageUrls.Values).Distinct(StringComparer.Ordinal);

    /// <summary>Key Vault certificates the gateways could not read, with the listeners that are disabled for it.</summary>
    public IReadOnlyList<UnreadableCertificate> UnreadableCertificates { get; init; } = [];

    /// <summary>The firewall policies its listeners and path rules run, each parsed once.</summary>
    internal IReadOnlyList<WafPlan> Firewalls => _firewalls;

    public void Dispose()
    {
        _certificates.Dispose();
        foreach (var firewall in _firewalls) firewall.Dispose();
    }
}

/// <summary>
/// A certificate (listener certificate or trusted root) that its gateway could not read from Key Vault, as Azure reports
/// it: <paramref name="Error"/> carries Azure's code. <paramref name="DisabledListener"/> names the listener it disables,
/// if any; a trusted root disables none, its backends are just not trusted through it.
/// </summary>
public sealed record UnreadableCertificate(string GatewayId, string CertificateId, Gatehouse.Errors.ArmError Error, string? DisabledListener);
