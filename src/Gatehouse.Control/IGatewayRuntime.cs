using Gatehouse.Network;

namespace Gatehouse.Control;

/// <summary>The data plane as the control plane sees it (the executable implements it over Gatehouse.Gateway).</summary>
public interface IGatewayRuntime
{
    /// <summary>Compiles the gateways without serving them; throws <see cref="Gatehouse.Arm.ArmException"/> when they cannot be served.</summary>
    void Check(IReadOnlyList<ProvisionedResource> gateways);

    /// <summary>Starts serving exactly these gateways; throws if it cannot, and then the previous ones keep serving.</summary>
    Task ApplyAsync(IReadOnlyList<ProvisionedResource> gateways, CancellationToken ct);
}
