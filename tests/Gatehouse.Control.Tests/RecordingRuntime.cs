using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Errors;
using Gatehouse.Network;

namespace Gatehouse.Control.Tests;

/// <summary>The data-plane boundary the executable implements: records what the control plane applies, and can refuse a check.</summary>
public sealed class RecordingRuntime : IGatewayRuntime
{
    private readonly Lock _lock = new();
    private readonly List<IReadOnlyList<ProvisionedResource>> _applied = [];
    private int _applying;

    /// <summary>When set, <see cref="Check"/> throws it, as a gateway that cannot be compiled would.</summary>
    public ArmException? CheckFailure { get; set; }

    public TimeSpan ApplyDelay { get; set; }

    public int MostConcurrentApplies { get; private set; }

    public IReadOnlyList<IReadOnlyList<ProvisionedResource>> Applied
    {
        get { lock (_lock) return _applied.ToList(); }
    }

    public IReadOnlyList<ProvisionedResource> Serving => Applied.LastOrDefault() ?? [];

    public void Check(IReadOnlyList<ProvisionedResource> gateways)
    {
        if (CheckFailure is { } failure) throw failure;
    }

    /// <summary>What <see cref="BackendHealth"/> answers: one pool with one server per gateway id asked.</summary>
    public JsonObject BackendHealth(string gatewayId) => new()
    {
        ["backendAddressPools"] = new JsonArray(new JsonObject
        {
            ["backendAddressPool"] = new JsonObject { ["id"] = $"{gatewayId}/backendAddressPools/pool" },
            ["backendHttpSettingsCollection"] = new JsonArray(new JsonObject
            {
                ["backendHttpSettings"] = new JsonObject { ["id"] = $"{gatewayId}/backendHttpSettingsCollection/settings" },
                ["servers"] = new JsonArray(new JsonObject { ["address"] = "10.0.0.4", ["health"] = "Up" }),
            }),
        }),
    };

    public async Task ApplyAsync(IReadOnlyList<ProvisionedResource> gateways, CancellationToken ct)
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
}
