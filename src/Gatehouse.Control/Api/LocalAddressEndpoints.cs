using System.Text.Json.Nodes;
using Gatehouse.Control.Store;
using Gatehouse.Network;

namespace Gatehouse.Control.Api;

/// <summary>
/// <c>GET .../applicationGateways/{name}/providers/Gatehouse/localAddresses</c> (<c>gatehouse network application-gateway show
/// --local-addresses</c>): each frontend IP configuration with the local address:port this instance's data plane bound for
/// its listeners. A Gatehouse extension of the gateway, as ARM nests extension resources, so the gateway's own GET stays Azure's.
/// </summary>
internal static class LocalAddressEndpoints
{
    public const string Route = "/resourcegroups/{resourceGroupName}/providers/Microsoft.Network/applicationGateways/{gatewayName}/providers/Gatehouse/localAddresses";

    public static void MapLocalAddressEndpoints(this RouteGroupBuilder subscription) =>
        subscription.MapGet(Route, (string subscriptionId, string resourceGroupName, string gatewayName, IResourceStore store, IServiceProvider services) =>
        {
            var (_, stored) = BackendHealthEndpoints.Find(store, subscriptionId, resourceGroupName, gatewayName);
            var served = services.GetService<IGatewayMonitor>()?.ServedListeners ?? [];
            return ArmResponses.Json(new JsonObject
            {
                ["value"] = new JsonArray([.. ServedFrontend.Of(NetworkProvider.ReadApplicationGateway(stored), served).Select(f => new JsonObject
                {
                    ["id"] = f.Frontend.Id,
                    ["name"] = f.Frontend.Name,
                    ["localEndPoints"] = new JsonArray([.. f.LocalEndPoints.Select(e => JsonValue.Create(e))]),
                })]),
            });
        });
}
