using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gatehouse.Control;
using Gatehouse.Gateway;
using Gatehouse.Network;
using Gatehouse.Network.ApplicationGateways;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;
using Gatehouse.Network.Vaults;

namespace Gatehouse.Hosting;

/// <summary>The data plane as the control plane drives it: compile the stored gateways into a plan, then swap it in.</summary>
public sealed class GatewayRuntime(GatewayHost host, GatewayEnvironment environment, TextWriter announcements) : IGatewayRuntime
{
    /// <summary>Key Vault certificates are read here, from the vaults among <paramref name="resources"/>, as the plan is prepared.</summary>
    public IPreparedGateways Prepare(IReadOnlyList<ProvisionedResource> resources) =>
        new PreparedPlan(host, announcements, GatewayCompiler.Compile(
            Served(resources),
            environment,
            [.. resources.Where(r => NetworkProvider.IsWafPolicy(r.Type)).Select(NetworkProvider.ReadWafPolicy)]));

    /// <summary>
    /// The gateways among <paramref name="resources"/> as the data plane runs them: pools joined by the interfaces and
    /// scale sets among them, Key Vault certificates read from the vaults among them.
    /// </summary>
    private static IReadOnlyList<ApplicationGateway> Served(IReadOnlyList<ProvisionedResource> resources)
    {
        var secrets = new KeyVaultSecrets(resources);
        return [.. NetworkProvider.ReadApplicationGateways(resources).Select(gateway => KeyVaultCertificates.Read(gateway, secrets))];
    }

    /// <summary>Azure's backend health, and the certificates the gateway could not read from Key Vault (<c>unreadableCertificates</c>) when there are any.</summary>
    public JsonObject BackendHealth(string gatewayId)
    {
        var health = JsonSerializer.SerializeToNode(host.BackendHealth(gatewayId), HealthJson)!.AsObject();
        var unreadable = host.UnreadableCertificates.Where(c => ResourceIds.Comparer.Equals(c.GatewayId, gatewayId)).ToList();
        if (unreadable.Count > 0)
            health["unreadableCertificates"] = new JsonArray([.. unreadable.Select(c => (JsonNode)new JsonObject
            {
                ["certificate"] = new JsonObject { ["id"] = c.CertificateId },
                ["disabledListener"] = c.DisabledListener,
                ["error"] = c.Error.ToJson(),
            })]);
        return health;
    }

    /// <summary>The gateway is read as <see cref="Prepare"/> reads it, so the probe reaches the members and trusts the roots the data plane does.</summary>
    public async Task<JsonObject> BackendHealthOnDemandAsync(ProvisionedResource gateway, IReadOnlyList<ProvisionedResource> served, JsonObject probeRequest,
        CancellationToken cancellationToken)
    {
        var model = Served([gateway, .. served.Where(r => !NetworkProvider.IsApplicationGateway(r.Type))]).Single();
        var report = await BackendHealthOnDemand.ProbeAsync(model, NetworkProvider.ReadOnDemandProbe(model, probeRequest), environment, cancellationToken);
        return JsonSerializer.SerializeToNode(report, HealthJson)!.AsObject();
    }
    public IReadOnlyList<WafRuleSets.ManagedRule> ManagedWafRules() => Gateway.Waf.ManagedWafRules.Running();

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
            foreach (var unreadable in host.UnreadableCertificates)
                announcements.WriteLine(unreadable.DisabledListener is { } listener
                    ? $"Listener {ResourceIds.LastSegment(unreadable.GatewayId)}/{listener}: disabled, {unreadable.Error.Code}: {unreadable.Error.Message}"
                    : $"Certificate {ResourceIds.LastSegment(unreadable.GatewayId)}/{ResourceIds.LastSegment(unreadable.CertificateId)}: {unreadable.Error.Code}: {unreadable.Error.Message}");
        }

        public void Dispose()
        {
            _plan?.Dispose();
            _plan = null;
        }
    }
}
