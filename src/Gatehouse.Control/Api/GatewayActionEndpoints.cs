using Gatehouse.Control.Deployments;
using Gatehouse.Control.Store;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Control.Api;

/// <summary>
/// <c>POST .../applicationGateways/{name}/stop</c> and <c>/start</c> (az network application-gateway stop|start): as Azure,
/// 202 with a Location whose answer (200, no body) ends the operation. The gateway stops or starts serving before the 202,
/// and its operationalState says Stopped or Running from then on.
/// </summary>
internal static class GatewayActionEndpoints
{
    private const string Gateway = "/resourcegroups/{resourceGroupName}/providers/Microsoft.Network/applicationGateways/{gatewayName}";

    public static void MapGatewayActionEndpoints(this RouteGroupBuilder subscription)
    {
        foreach (var (action, state) in new[] { ("stop", GatewayOperationalState.Stopped), ("start", GatewayOperationalState.Running) })
        {
            subscription.MapPost($"{Gateway}/{action}", async (string subscriptionId, string resourceGroupName, string gatewayName, HttpRequest request,
                IResourceStore store, DeploymentEngine engine, OperationResults operations) =>
            {
                var group = ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName);
                var id = ResourceIdentifier.ResourceId(group.SubscriptionId, group.Name, $"Microsoft.Network/applicationGateways/{gatewayName}");
                var gateway = await engine.SetOperationalStateAsync(id, state, request.HttpContext.RequestAborted)
                    ?? throw ResourceEndpoints.NotFound(ResourceIdentifier.Parse(id)!);
                return operations.Accepted(request, group.SubscriptionId, gateway.Body["location"]?.GetValue<string>() ?? group.Location, null);
            });
        }
    }
}
