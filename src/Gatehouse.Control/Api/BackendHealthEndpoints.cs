using Gatehouse.Control.Instances;
using Gatehouse.Control.Store;

namespace Gatehouse.Control.Api;

/// <summary>
/// <c>POST .../applicationGateways/{name}/backendhealth</c> (az network application-gateway show-backend-health) and
/// <c>POST .../getBackendHealthOnDemand</c> (the same command with --host-name, --path, --address-pool, --http-settings...):
/// as Azure, 202 with a Location that answers 200 with the report. The report is ready before the 202 (backendhealth
/// reads what the probes last found; the on-demand probe is sent and answered first), so the first poll finds it; a
/// request that names no pool or settings of the gateway gets 400 at once. With several instances backendhealth merges
/// what each instance's own probes found (see <see cref="BackendHealthView"/>).
/// </summary>
internal static class BackendHealthEndpoints
{
    private const string Gateway = "/resourcegroups/{resourceGroupName}/providers/Microsoft.Network/applicationGateways/{gatewayName}";

    public static void MapBackendHealthEndpoints(this RouteGroupBuilder subscription)
    {
        subscription.MapPost($"{Gateway}/backendhealth", (string subscriptionId, string resourceGroupName, string gatewayName, HttpRequest request,
            IResourceStore store, IGatewayRuntime runtime, RunningInstance self, OperationResults operations) =>
        {
            var (group, gateway) = Find(store, subscriptionId, resourceGroupName, gatewayName);
            return operations.Accepted(request, group.SubscriptionId, Location(group, gateway),
                BackendHealthView.Of(gateway.Id, self.Id, runtime.BackendHealth(gateway.Id), store.ListInstances(), DateTimeOffset.UtcNow));
        });

        subscription.MapPost($"{Gateway}/getBackendHealthOnDemand", async (string subscriptionId, string resourceGroupName, string gatewayName,
            HttpRequest request, IResourceStore store, IGatewayRuntime runtime, OperationResults operations) =>
        {
            var (group, gateway) = Find(store, subscriptionId, resourceGroupName, gatewayName);
            var probeRequest = await ArmResponses.ReadJsonObjectAsync(request);
            var report = await runtime.BackendHealthOnDemandAsync(gateway, store.ReadRevision(Network.NetworkProvider.ServedTypes).Resources, probeRequest,
                request.HttpContext.RequestAborted);
            return operations.Accepted(request, group.SubscriptionId, Location(group, gateway), report);
        });
    }

    public static (ResourceGroup Group, Network.ProvisionedResource Gateway) Find(IResourceStore store, string subscriptionId, string resourceGroupName, string gatewayName)
    {
        var group = ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName);
        var id = ResourceIdentifier.ResourceId(group.SubscriptionId, group.Name, $"Microsoft.Network/applicationGateways/{gatewayName}");
        return (group, store.GetResource(id) ?? throw ResourceEndpoints.NotFound(ResourceIdentifier.Parse(id)!));
    }

    private static string Location(ResourceGroup group, Network.ProvisionedResource gateway) =>
        gateway.Body["location"]?.GetValue<string>() ?? group.Location;
}
