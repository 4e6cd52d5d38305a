using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gatehouse.Control;
using Gatehouse.Gateway;
using Gatehouse.Network;

namespace Gatehouse.Hosting;

/// <summary>The data plane as the control plane drives it: compile the stored gateways, then swap them in.</summary>
public sealed class GatewayRuntime(GatewayHost host, GatewayEnvironment environment, TextWriter announcements) : IGatewayRuntime
{
    public void Check(IReadOnlyList<ProvisionedResource> gateways) => Compile(gateways);

    public async Task ApplyAsync(IReadOnlyList<ProvisionedResource> gateways, CancellationToken ct)
    {
        await host.ApplyAsync(Compile(gateways), ct);
        // A deployment leaves parsed templates and old plans behind; configuration changes are rare, so hand that
        // memory back to the system now rather than keep it committed while the gateway idles.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        foreach (var endpoint in host.Endpoints)
            announcements.WriteLine(
                $"Listener {ResourceIds.LastSegment(endpoint.GatewayId)}/{endpoint.ListenerName}: {endpoint.Protocol.ToString().ToLowerInvariant()}://{endpoint.LocalEndPoint} (frontend port {endpoint.FrontendPort})");
    }

    public JsonObject BackendHealth(string gatewayId) =>
        JsonSerializer.SerializeToNode(host.BackendHealth(gatewayId), HealthJson)!.AsObject();

    /// <summary>camelCase, and no healthProbeLog before a member's first probe, as Azure omits it.</summary>
    private static readonly JsonSerializerOptions HealthJson = new(JsonSerializerOptions.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private GatewayPlan Compile(IReadOnlyList<ProvisionedResource> gateways) =>
        GatewayCompiler.Compile(gateways.Select(NetworkProvider.ReadApplicationGateway).ToList(), environment);
}
