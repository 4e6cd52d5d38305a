using Gatehouse.Control;
using Gatehouse.Gateway;
using Gatehouse.Gateway.Observability;

namespace Gatehouse.Hosting;

/// <summary>The data plane as the management API shows it: its meter, its backend health and its access log file.</summary>
public sealed class GatewayMonitor(GatewayHost host, string? accessLogPath, string? firewallLogPath) : IGatewayMonitor
{
    public string MeterName => GatewayHost.MeterName;

    public string ResourceIdDimension => MetricDimensions.ResourceId;

    public IReadOnlyList<BackendMemberHealth> BackendHealth =>
    [
        .. host.BackendMembers.Select(m => new BackendMemberHealth(m.GatewayId, m.BackendPoolName, m.Address, m.Health, m.HealthProbeLog)),
    ];

    public IReadOnlyList<UnreadableCertificateStatus> UnreadableCertificates =>
    [
        .. host.UnreadableCertificates.Select(c => new UnreadableCertificateStatus(c.GatewayId, c.CertificateId, c.DisabledListener, c.Error)),
    ];

    public IReadOnlyList<ServedListener> ServedListeners =>
    [
        .. host.Endpoints.Select(e => new ServedListener(e.GatewayId, e.ListenerName, e.LocalEndPoint.ToString())),
    ];

    public string? AccessLogPath => accessLogPath;

    public string? FirewallLogPath => firewallLogPath;
}
