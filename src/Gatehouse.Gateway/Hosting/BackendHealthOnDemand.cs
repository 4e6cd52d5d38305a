using Gatehouse.Gateway.Backends;
using Gatehouse.Gateway.Compilation;
using Gatehouse.Gateway.Hosting;
using Gatehouse.Gateway.Forwarding;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway;

/// <summary>
/// getBackendHealthOnDemand: the request's probe sent once, now, to every member of its pool, reached as its settings
/// reach them (the same compilation as a served pair's, so the same addresses, --resolve entries, host names and TLS),
/// whether or not a rule uses the pair. Nothing of the served plan changes.
/// </summary>
public static class BackendHealthOnDemand
{
    public static async Task<BackendHealthOnDemandReport> ProbeAsync(ApplicationGateway gateway, OnDemandProbe request, GatewayEnvironment environment,
        CancellationToken cancellationToken)
    {
        using var owned = new PlanCertificates();
        var cluster = new ClusterCatalog(environment, owned).For(gateway with { Probes = [.. gateway.Probes, request.Probe] }, request.Pool,
            request.Settings with { ProbeId = request.Probe.Id });
        using var client = BackendClient.Create(cluster.Tls);
        var members = cluster.Members.Select(member => new MemberState(member)).ToList();
        await Task.WhenAll(members.Select(member => HealthProbe.ProbeAsync(client, cluster.Tls, member, cluster.Probe, cancellationToken)));
        return new BackendHealthOnDemandReport(new ResourceReference(request.Pool.Id), new BackendSettingsHealth(new ResourceReference(request.Settings.Id),
            [.. members.Select(m => new BackendServerHealth(m.Member.Address, m.Health.ToString(), m.Log))]));
    }
}
