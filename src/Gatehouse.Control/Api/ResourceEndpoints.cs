using Gatehouse.Arm;
using Gatehouse.Control.Deployments;
using Gatehouse.Control.Store;
using Gatehouse.Network;

namespace Gatehouse.Control.Api;

/// <summary>Resources by id: <c>/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}</c>, with any api-version.</summary>
internal static class ResourceEndpoints
{
    private const string Resource = "/resourcegroups/{resourceGroupName}/providers/{**resourcePath}";

    public static void MapResourceEndpoints(this RouteGroupBuilder subscription)
    {
        subscription.MapGet(Resource, (string subscriptionId, string resourceGroupName, string resourcePath, HttpRequest request, ResourceStore store) =>
        {
            var (id, parts) = Identify(store, subscriptionId, resourceGroupName, resourcePath);
            var resource = store.GetResource(id)
                ?? throw new ArmException("ResourceNotFound",
                    $"The Resource '{parts.Type}/{parts.Name}' under resource group '{parts.ResourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
            return ArmResponses.Json(NetworkProvider.Render(resource, request.Query["api-version"].ToString()));
        });

        subscription.MapPut(Resource, async (string subscriptionId, string resourceGroupName, string resourcePath, HttpRequest request, ResourceStore store, DeploymentEngine engine) =>
        {
            var (id, parts) = Identify(store, subscriptionId, resourceGroupName, resourcePath);
            var apiVersion = request.Query["api-version"].ToString();
            var body = await ArmResponses.ReadJsonObjectAsync(request);
            var existed = store.GetResource(id) is not null;
            var resource = await engine.PutResourceAsync(new ResourceInput(id, parts.Type, parts.Name, apiVersion, body), request.HttpContext.RequestAborted);
            return ArmResponses.Json(NetworkProvider.Render(resource, apiVersion), existed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        });

        subscription.MapDelete(Resource, async (string subscriptionId, string resourceGroupName, string resourcePath, HttpContext http, ResourceStore store, DeploymentEngine engine) =>
        {
            var (id, _) = Identify(store, subscriptionId, resourceGroupName, resourcePath);
            var deleted = await engine.DeleteResourceAsync(id, http.RequestAborted);
            return Results.StatusCode(deleted ? StatusCodes.Status200OK : StatusCodes.Status204NoContent);
        });
    }

    private static (string Id, ResourceIdentifier Parts) Identify(ResourceStore store, string subscriptionId, string resourceGroupName, string resourcePath)
    {
        var group = ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName);
        var id = ResourceIdentifier.ResourceId(group.SubscriptionId, group.Name, resourcePath);
        var parts = ResourceIdentifier.Parse(id)
            ?? throw new ArmException("InvalidResourceId", $"'{resourcePath}' is not a resource path of the form '{{namespace}}/{{type}}/{{name}}'.");
        return (id, parts);
    }
}
