using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Errors;
using Gatehouse.Network;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

namespace Gatehouse.Control.Tests;

/// <summary>
/// The data-plane boundary the executable implements: records what the control plane applies, can refuse to prepare,
/// and counts prepared plans that were never disposed.
/// </summary>
public sealed class RecordingRuntime : IGatewayRuntime
{
    private readonly Lock _lock = new();
    private readonly List<IReadOnlyList<ProvisionedResource>> _applied = [];
    private int _applying;
    private int _undisposed;

    /// <summary>When set, <see cref="Prepare"/> throws it, as a gateway that cannot be compiled would.</summary>
    public ArmException? PrepareFailure { get; set; }

    /// <summary>Prepared plans not disposed yet, applied or not: the real runtime's would hold certificates with private keys.</summary>
    public int Undisposed => Volatile.Read(ref _undisposed);

    public TimeSpan ApplyDelay { get; set; }

    public int MostConcurrentApplies { get; private set; }

    public IReadOnlyList<IReadOnlyList<ProvisionedResource>> Applied
    {
        get { lock (_lock) return _applied.ToList(); }
    }

    /// <summary>The gateways and WAF policies of the last plan applied, without the public IPs, interfaces and scale sets beside them.</summary>
    public IReadOnlyList<ProvisionedResource> Serving =>
        [.. (Applied.LastOrDefault() ?? []).Where(r => NetworkProvider.IsApplicationGateway(r.Type) || NetworkProvider.IsWafPolicy(r.Type))];

    public IPreparedGateways Prepare(IReadOnlyList<ProvisionedResource> gateways)
    {
        if (PrepareFailure is { } failure) throw failure;
        Interlocked.Increment(ref _undisposed);
        return new Prepared(this, gateways.ToList());
    }

    /// <summary>The health and healthProbeLog of the one server <see cref="BackendHealth"/> reports, as this instance's probes found it.</summary>
    public (string Health, string? Log) ServerHealth { get; set; } = ("Up", null);

    /// <summary>One rule of the SQL injection group, as the real runtime reads it from CRS.</summary>
    public IReadOnlyList<WafRuleSets.ManagedRule> ManagedWafRules() => [new(942100, "SQL Injection Attack Detected via libinjection", "AnomalyScoring")];

    public IReadOnlyList<string> ProbedGatewayIds => [.. Serving.Where(r => NetworkProvider.IsApplicationGateway(r.Type)).Select(r => r.Id)];

    /// <summary>What <see cref="BackendHealth"/> answers: one pool with one server per gateway id asked.</summary>
    public JsonObject BackendHealth(string gatewayId) => new()
    {
        ["backendAddressPools"] = new JsonArray(new JsonObject
        {
            ["backendAddressPool"] = new JsonObject { ["id"] = $"{gatewayId}/backendAddressPools/pool" },
            ["backendHttpSettingsCollection"] = new JsonArray(new JsonObject
            {
                ["backendHttpSettings"] = new JsonObject { ["id"] = $"{gatewayId}/backendHttpSettingsCollection/settings" },
                ["servers"] = new JsonArray(ServerHealth.Log is { } log
                    ? new JsonObject { ["address"] = "10.0.0.4", ["health"] = ServerHealth.Health, ["healthProbeLog"] = log }
                    : new JsonObject { ["address"] = "10.0.0.4", ["health"] = ServerHealth.Health }),
            }),
        }),
    };

    /// <summary>
    /// What <see cref="BackendHealthOnDemandAsync"/> answers: the request checked as the real runtime checks it, and its
    /// pool and settings with every member of the pool Up (nothing is probed here).
    /// </summary>
    public Task<JsonObject> BackendHealthOnDemandAsync(ProvisionedResource gateway, IReadOnlyList<ProvisionedResource> served, JsonObject probeRequest,
        CancellationToken cancellationToken)
    {
        var request = NetworkProvider.ReadOnDemandProbe(NetworkProvider.ReadApplicationGateway(gateway), probeRequest);
        return Task.FromResult(new JsonObject
        {
            ["backendAddressPool"] = new JsonObject { ["id"] = request.Pool.Id },
            ["backendHealthHttpSettings"] = new JsonObject
            {
                ["backendHttpSettings"] = new JsonObject { ["id"] = request.Settings.Id },
                ["servers"] = new JsonArray([.. request.Pool.BackendAddresses.Select(a => new JsonObject { ["address"] = a.Host, ["health"] = "Up" })]),
            },
        });
    }

    private async Task ApplyAsync(IReadOnlyList<ProvisionedResource> gateways, CancellationToken ct)
    {
        var concurrent = Interlocked.Increment(ref _applying);
        MostConcurrentApplies = Math.Max(MostConcurrentApplies, concurrent);
        try
        {
            await Task.Delay(ApplyDelay, ct);
            lock (_lock) _applied.Add(gateways.ToList());
        }
        finally
        {
            Interlocked.Decrement(ref _applying);
        }
    }

    private sealed class Prepared(RecordingRuntime runtime, IReadOnlyList<ProvisionedResource> gateways) : IPreparedGateways
    {
        private int _disposed;

        public Task ApplyAsync(CancellationToken ct) => runtime.ApplyAsync(gateways, ct);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref runtime._undisposed);
        }
    }
}
