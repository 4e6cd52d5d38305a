using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network;

namespace Gatehouse.Control;

/// <summary>The data plane as the control plane sees it (the executable implements it over Gatehouse.Gateway).</summary>
public interface IGatewayRuntime
{
    /// <summary>Compiles the gateways without serving them; throws <see cref="ArmException"/> when they cannot be served.</summary>
    void Check(IReadOnlyList<ProvisionedResource> gateways);

    /// <summary>Starts serving exactly these gateways; throws if it cannot, and then the previous ones keep serving.</summary>
    Task ApplyAsync(IReadOnlyList<ProvisionedResource> gateways, CancellationToken ct);

    /// <summary>
    /// The body of Azure's backendhealth operation for the gateway with this id (pool, settings, servers with
    /// health and healthProbeLog), as the last probes left it; no pools when the gateway is not served.
    /// </summary>
    JsonObject BackendHealth(string gatewayId);
}
