using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gatehouse.Control;
using Gatehouse.Gateway;
using Gatehouse.Network;

namespace Gatehouse.Hosting;

/// <summary>The data plane as the control plane drives it: compile the stored gateways into a plan, then swap it in.</summary>
public sealed class GatewayRuntime(GatewayHost host, GatewayEnvironment environment, TextWriter announcements) : IGatewayRuntime
{
    public IPreparedGateways Prepare(IReadOnlyList<ProvisionedResource> gateways) =>
        new PreparedPlan(host, announcements, GatewayCompiler.Compile(
            NetworkProvider.ReadApplicationGateways(gateways),
            environment,
            [.. gateways.Where(r => NetworkProvider.IsWafPolicy(r.Type)).Select(NetworkProvider.ReadWafPolicy)]));

    public JsonObject BackendHealth(string gatewayId) =>
        JsonSerializer.SerializeToNode(host.BackendHealth(gatewayId), HealthJson)!.AsObject();

    public async Task<JsonObject> BackendHealthOnDemandAsync(ProvisionedResource gateway, JsonObject probeRequest, CancellationToken cancellationToken)
    {
        var model = NetworkProvider.ReadApplicationGateway(gateway);
        var report = await BackendHealthOnDemand.ProbeAsync(model, NetworkProvider.ReadOnDemandProbe(model, probeRequest), environment, cancellationToken);
        return JsonSerializer.SerializeToNode(report, HealthJson)!.AsObject();
    }
    public IReadOnlyList<string> ProbedGatewayIds => host.ProbedGatewayIds;

    /// <summary>camelCase, and no healthProbeLog before a member's first probe, as Azure omits it.</summary>
    private static readonly JsonSerializerOptions HealthJson = new(JsonSerializerOptions.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Owns its plan until the host takes it over.</summary>
    private sealed class PreparedPlan(GatewayHost host, TextWriter announcements, GatewayPlan plan) : IPreparedGateways
    {
        private GatewayPlan? _plan = plan;

        public async Task ApplyAsync(CancellationToken ct)
        {
            await host.ApplyAsync(_plan ?? throw new ObjectDisposedException(nameof(PreparedPlan)), ct);
            _plan = null;
            foreach (var endpoint in host.Endpoints)
                announcements.WriteLine(
                    $"Listener {ResourceIds.LastSegment(endpoint.GatewayId)}/{endpoint.ListenerName}: {endpoint.Protocol.ToString().ToLowerInvariant()}://{endpoint.LocalEndPoint} (frontend port {endpoint.FrontendPort})");
        }

        public void Dispose()
        {
            _plan?.Dispose();
            _plan = null;
        }
    }
}
