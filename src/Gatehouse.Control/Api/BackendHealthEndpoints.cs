using Gatehouse.Control.Instances;
using Gatehouse.Control.Store;

namespace Gatehouse.Control.Api;

/// <summary>
/// <c>POST .../applicationGateways/{name}/backendhealth</c> (az network application-gateway show-backend-health): as
/// Azure, 202 with a Location that answers 200 with the report. The report is read before the 202 (health is what
/// the probes last found, not probed per call), so the first poll finds it. With several instances it merges what
/// each instance's own probes found (see <see cref="BackendHealthView"/>).
/// </summary>
internal static class BackendHealthEndpoints
{
    private const string Route = "/resourcegroups/{resourceGroupName}/providers/Microsoft.Network/applicationGateways/{gatewayName}/backendhealth";

    public static void MapBackendHealthEndpoints(this RouteGroupBuilder subscription) =>
        subscription.MapPost(Route, (string subscriptionId, string resourceGroupName, string gatewayName, HttpRequest request, IResourceStore store,
            IGatewayRuntime runtime, RunningInstance self, OperationResults operations) =>
        {
            var group = ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName);
            var id = ResourceIdentifier.ResourceId(group.SubscriptionId, group.Name, $"Microsoft.Network/applicationGateways/{gatewayName}");
            var gateway = store.GetResource(id) ?? throw ResourceEndpoints.NotFound(ResourceIdentifier.Parse(id)!);
            return operations.Accepted(request, group.SubscriptionId, gateway.Body["location"]?.GetValue<string>() ?? group.Location,
                BackendHealthView.Of(gateway.Id, self.Id, runtime.BackendHealth(gateway.Id), store.ListInstances(), DateTimeOffset.UtcNow));
        });
}
