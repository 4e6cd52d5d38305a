using System.Text.Json.Nodes;
using Gatehouse.Control.Deployments;
using Gatehouse.Control.Store;
using Gatehouse.Errors;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Control.Instances;

/// <summary>
/// This <c>serve</c> among the instances that share a store: it follows the revisions the others commit, reports itself
/// every <see cref="InstanceReport.Interval"/> with the revision it serves and what its probes found, and fails the deployments of instances
/// that stopped reporting (they committed nothing). Every <c>keyVaultRefresh</c> it reads the gateways' Key Vault
/// certificates again (<see cref="DeploymentEngine.RefreshKeyVaultAsync"/>).
/// </summary>
internal sealed class RunningInstance : IAsyncDisposable
{
    private readonly IResourceStore _store;
    private readonly DeploymentEngine _engine;
    private readonly IGatewayRuntime _runtime;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _watching = Task.CompletedTask;
    private Task _reporting = Task.CompletedTask;
    private Task _refreshing = Task.CompletedTask;
    private readonly TimeSpan _keyVaultRefresh;

    public RunningInstance(IResourceStore store, DeploymentEngine engine, IGatewayRuntime runtime, string id, TimeSpan keyVaultRefresh, ILogger logger)
    {
        (_store, _engine, _runtime, Id, _keyVaultRefresh, _logger) = (store, engine, runtime, id, keyVaultRefresh, logger);
    }

    public string Id { get; }

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public void Start(Uri managementUrl)
    {
        _watching = _store.WatchAsync(_engine.CatchUpAsync, _stopping.Token);
        _reporting = ReportAsync(managementUrl.ToString(), _stopping.Token);
        _refreshing = RefreshKeyVaultAsync(_stopping.Token);
    }

    private async Task RefreshKeyVaultAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_keyVaultRefresh);
        while (await Wait(timer, ct))
        {
            try { await _engine.RefreshKeyVaultAsync(ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
        }
    }

    private async Task ReportAsync(string managementUrl, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(InstanceReport.Interval);
        do
        {
            try
            {
                var health = new JsonObject();
                foreach (var gatewayId in _runtime.ProbedGatewayIds) health[gatewayId] = _runtime.BackendHealth(gatewayId);
                _store.Report(new InstanceReport(Id, managementUrl, _engine.AppliedRevision, Started, DateTimeOffset.UtcNow, health));
                _engine.FailOrphanedDeployments();
            }
            catch (ArmException e)
            {
                // The store is away; the gateways keep serving, and the next report says when it is back.
                _logger.LogDebug("Instance {InstanceId} could not report: {Message}", Id, e.Message);
            }
        }
        while (await Wait(timer, ct));
    }

    private static async Task<bool> Wait(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _watching;
        await _reporting;
        await _refreshing;
        _stopping.Dispose();
    }
}
