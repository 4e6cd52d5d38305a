namespace Gatehouse.Control;

/// <summary>
/// What the data plane shows about itself, for <c>/metrics</c>, the ARM metrics route and the portal (the executable
/// implements it over Gatehouse.Gateway).
/// </summary>
public interface IGatewayMonitor
{
    /// <summary>The System.Diagnostics.Metrics meter with Azure's Application Gateway metrics.</summary>
    string MeterName { get; }

    /// <summary>The metric dimension holding the gateway's resource id.</summary>
    string ResourceIdDimension { get; }

    /// <summary>Pool members as probes and failed connections left them.</summary>
    IReadOnlyList<BackendMemberHealth> BackendHealth { get; }

    /// <summary>Key Vault certificates the gateways could not read: Azure's error, and the listener each disables.</summary>
    IReadOnlyList<UnreadableCertificateStatus> UnreadableCertificates { get; }

    /// <summary>The listeners being served, each with the local address and port its socket is bound to.</summary>
    IReadOnlyList<ServedListener> ServedListeners { get; }

    /// <summary>The access log file being written; null when none is kept.</summary>
    string? AccessLogPath { get; }

    /// <summary>The firewall log file being written; null when none is kept.</summary>
    string? FirewallLogPath { get; }
}

/// <summary>One pool member of a gateway: its address, Azure's health (<c>Unknown</c>, <c>Up</c>, <c>Down</c>, <c>Draining</c>) and the last probe's message.</summary>
public sealed record BackendMemberHealth(string GatewayId, string BackendPoolName, string Address, string Health, string? HealthProbeLog);

/// <summary>A listener of a gateway as served: the local endpoint (address:port) that answers for its frontend.</summary>
public sealed record ServedListener(string GatewayId, string ListenerName, string LocalEndPoint);

/// <summary>A certificate a gateway could not read from Key Vault: Azure's error, and the listener it disables (null for a trusted root).</summary>
public sealed record UnreadableCertificateStatus(string GatewayId, string CertificateId, string? DisabledListener, Gatehouse.Errors.ArmError Error);
