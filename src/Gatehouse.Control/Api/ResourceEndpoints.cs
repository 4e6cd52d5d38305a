using System.Text.Json.Nodes;
using Gatehouse.Control.Deployments;
using Gatehouse.Control.Store;
using Gatehouse.Errors;
using Gatehouse.Network;

namespace Gatehouse.Control.Api;

/// <summary>
/// Resources by id: <c>/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}</c>, with any api-version
/// (GET, PUT, PATCH of tags, DELETE), and the lists of a group's resources.
/// </summary>
internal static class ResourceEndpoints
{
    private const string Resource = "/resourcegroups/{resourceGroupName}/providers/{**resourcePath}";

    public static void MapResourceEndpoints(this RouteGroupBuilder subscription)
    {
        subscription.MapGet(Resource, (string subscriptionId, string resourceGroupName, string resourcePath, HttpRequest request, IResourceStore store) =>
        {
            var apiVersion = request.Query["api-version"].ToString();
            // {namespace}/{type} is the collection: az network application-gateway list -g RG.
            if (resourcePath.Split('/') is [var providerNamespace, var type])
            {
                var group = ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName);
                return TypeList(store.ListResourcesInGroup(group.SubscriptionId, group.Name)
                    .Where(r => r.Type.Equals($"{providerNamespace}/{type}", StringComparison.OrdinalIgnoreCase)), request);
            }
            var (id, parts) = Identify(store, subscriptionId, resourceGroupName, resourcePath);
            return ArmResponses.Json(NetworkProvider.Render(store.GetResource(id) ?? throw NotFound(parts), apiVersion));
        });

        // az network application-gateway list without -g: every group's resources of the type.
        subscription.MapGet("/providers/{providerNamespace}/{resourceType}", (string providerNamespace, string resourceType, HttpRequest request, IResourceStore store) =>
            TypeList(store.ListResources($"{providerNamespace}/{resourceType}"), request));

        // az resource list -g RG: ARM's short form of each resource.
        subscription.MapGet("/resourcegroups/{resourceGroupName}/resources", (string subscriptionId, string resourceGroupName, IResourceStore store) =>
        {
            var group = ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName);
            return ArmResponses.Json(new JsonObject
            {
                ["value"] = new JsonArray(store.ListResourcesInGroup(group.SubscriptionId, group.Name).Select(r => (JsonNode)new JsonObject
                {
                    ["id"] = r.Id,
                    ["name"] = r.Name,
                    ["type"] = r.Type,
                    ["location"] = r.Body["location"]?.DeepClone(),
                    ["tags"] = r.Body["tags"]?.DeepClone() ?? new JsonObject(),
                }).ToArray()),
            });
        });

        // Like ARM's UpdateTags: a PATCH may change the tags and nothing else.
        subscription.MapPatch(Resource, async (string subscriptionId, string resourceGroupName, string resourcePath, HttpRequest request, IResourceStore store, DeploymentEngine engine) =>
        {
            var (id, parts) = Identify(store, subscriptionId, resourceGroupName, resourcePath);
            var body = await ArmResponses.ReadJsonObjectAsync(request);
            if (body.Select(p => p.Key).FirstOrDefault(key => !key.Equals("tags", StringComparison.OrdinalIgnoreCase)) is { } other)
                throw new ArmException("InvalidRequestContent", $"A PATCH may change only 'tags', not '{other}'; PUT the resource to change anything else.", other);
            if (body.FirstOrDefault().Value is not JsonObject tags || tags.Any(t => t.Value?.GetValueKind() != System.Text.Json.JsonValueKind.String))
                throw new ArmException("InvalidRequestContent", "'tags' must be an object of string values.", "tags");
            var patched = await engine.PatchTagsAsync(id, tags, request.HttpContext.RequestAborted) ?? throw NotFound(parts);
            return ArmResponses.Json(NetworkProvider.Render(patched, request.Query["api-version"].ToString()));
        });

        // A gateway PUT is long-running, as in Azure: checked at once, then applied while the client polls; other types finish first.
        subscription.MapPut(Resource, async (string subscriptionId, string resourceGroupName, string resourcePath, HttpRequest request, IResourceStore store,
            DeploymentEngine engine, ResourceOperations operations) =>
        {
            var (id, parts) = Identify(store, subscriptionId, resourceGroupName, resourcePath);
            var apiVersion = request.Query["api-version"].ToString();
            var body = await ArmResponses.ReadJsonObjectAsync(request);
            var existed = store.GetResource(id) is not null;
            var (resource, committed) = await engine.StartPutResourceAsync(new ResourceInput(id, parts.Type, parts.Name, apiVersion, body));
            var rendered = NetworkProvider.Render(resource, apiVersion);
            if (NetworkProvider.IsApplicationGateway(resource.Type))
            {
                var group = ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName);
                operations.Track(request, group.SubscriptionId, group.Location, committed);
                if (rendered["properties"] is JsonObject properties) properties["provisioningState"] = "Updating";
            }
            else
            {
                await committed;
            }
            return ArmResponses.Json(rendered, existed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        });

        subscription.MapDelete(Resource, async (string subscriptionId, string resourceGroupName, string resourcePath, HttpContext http, IResourceStore store, DeploymentEngine engine) =>
        {
            var (id, _) = Identify(store, subscriptionId, resourceGroupName, resourcePath);
            var deleted = await engine.DeleteResourceAsync(id, http.RequestAborted);
            return Results.StatusCode(deleted ? StatusCodes.Status200OK : StatusCodes.Status204NoContent);
        });
    }

    private static IResult TypeList(IEnumerable<ProvisionedResource> resources, HttpRequest request) => ArmResponses.Json(new JsonObject
    {
        ["value"] = new JsonArray(resources.Select(r => (JsonNode)NetworkProvider.Render(r, request.Query["api-version"].ToString())).ToArray()),
    });

    internal static ArmException NotFound(ResourceIdentifier parts) => new("ResourceNotFound",
        $"The Resource '{parts.Type}/{parts.Name}' under resource group '{parts.ResourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");

    private static (string Id, ResourceIdentifier Parts) Identify(IResourceStore store, string subscriptionId, string resourceGroupName, string resourcePath)
    {
        var group = ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName);
        var id = ResourceIdentifier.ResourceId(group.SubscriptionId, group.Name, resourcePath);
        var parts = ResourceIdentifier.Parse(id)
            ?? throw new ArmException("InvalidResourceId", $"'{resourcePath}' is not a resource path of the form '{{namespace}}/{{type}}/{{name}}'.");
        return (id, parts);
    }
}
