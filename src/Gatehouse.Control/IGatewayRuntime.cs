using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

namespace Gatehouse.Control;

/// <summary>The data plane as the control plane sees it (the executable implements it over Gatehouse.Gateway).</summary>
public interface IGatewayRuntime
{
    /// <summary>
    /// Compiles exactly these gateways (with the WAF policies among <paramref name="gateways"/> that they name, and the
    /// network interfaces and scale sets among them that join their pools) into a plan that owns what it loaded (certificates with their private keys, TLS
    /// contexts), without serving it; throws <see cref="ArmException"/> when they cannot be served. The caller applies
    /// the plan or disposes it; disposing it after it was applied does nothing.
    /// </summary>
    IPreparedGateways Prepare(IReadOnlyList<ProvisionedResource> gateways);

    /// <summary>
    /// The body of Azure's backendhealth operation for the gateway with this id (pool, settings, servers with
    /// health and healthProbeLog), as the last probes left it; no pools when the gateway is not served.
    /// </summary>
    JsonObject BackendHealth(string gatewayId);

    /// <summary>
    /// The body of Azure's getBackendHealthOnDemand operation: the probe <paramref name="probeRequest"/> describes, sent now
    /// to every member of its pool under its settings; throws <see cref="ArmException"/> when the request is not valid for the gateway.
    /// The gateway is read with the other <paramref name="served"/> resources (of <see cref="NetworkProvider.ServedTypes"/>), as
    /// <see cref="Prepare"/> reads it: pool members that interfaces and scale sets add, certificates from Key Vault.
    /// </summary>
    Task<JsonObject> BackendHealthOnDemandAsync(ProvisionedResource gateway, IReadOnlyList<ProvisionedResource> served, JsonObject probeRequest,
        CancellationToken cancellationToken);
    /// <summary>The managed WAF rules the engine runs, read from the rule files in use (<c>applicationGatewayAvailableWafRuleSets</c> lists them by group).</summary>
    IReadOnlyList<WafRuleSets.ManagedRule> ManagedWafRules();

    /// <summary>The ids of the served gateways whose pools this instance probes.</summary>
    IReadOnlyList<string> ProbedGatewayIds { get; }
}

/// <summary>Gateways compiled by <see cref="IGatewayRuntime.Prepare"/>: checked, and ready to serve.</summary>
public interface IPreparedGateways : IDisposable
{
    /// <summary>Starts serving them in place of what served before; throws if it cannot, and then the previous ones keep serving.</summary>
    Task ApplyAsync(CancellationToken ct);
}
