using Gatehouse.Control.Instances;
using Gatehouse.Control.Store;
using Gatehouse.Network;

namespace Gatehouse.Control.Api;

/// <summary><c>GET /subscriptions/{id}/providers/Gatehouse/instances</c>: the instances that share the store (see <see cref="InstancesView"/>).</summary>
internal static class InstanceEndpoints
{
    public const string Route = "/providers/Gatehouse/instances";

    public static void MapInstanceEndpoints(this RouteGroupBuilder subscription) =>
        subscription.MapGet(Route, (IResourceStore store, RunningInstance self) => ArmResponses.Json(Read(store, self)));

    public static System.Text.Json.Nodes.JsonObject Read(IResourceStore store, RunningInstance self)
    {
        var stored = store.ReadRevision([NetworkProvider.ApplicationGatewayType]);
        return InstancesView.Render(store.ListInstances(), stored.Number, stored.Resources, self.Id, DateTimeOffset.UtcNow);
    }
}
