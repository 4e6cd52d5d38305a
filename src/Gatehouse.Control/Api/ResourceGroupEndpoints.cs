using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.Control.Deployments;
using Gatehouse.Control.Store;
using Gatehouse.Errors;

namespace Gatehouse.Control.Api;

/// <summary><c>/subscriptions/{s}/resourcegroups[/{rg}]</c>: PUT, GET, HEAD, DELETE and list.</summary>
internal static partial class ResourceGroupEndpoints
{
    public static void MapResourceGroupEndpoints(this RouteGroupBuilder subscription)
    {
        subscription.MapGet("/resourcegroups", (string subscriptionId, IResourceStore store) =>
            ArmResponses.Json(new JsonObject { ["value"] = new JsonArray(store.ListResourceGroups(subscriptionId).Select(g => (JsonNode)View(g)).ToArray()) }));

        subscription.MapPut("/resourcegroups/{resourceGroupName}", async (string subscriptionId, string resourceGroupName, HttpRequest request, IResourceStore store) =>
        {
            if (!ValidName().IsMatch(resourceGroupName))
                throw new ArmException("InvalidResourceGroupName", $"Resource group name '{resourceGroupName}' is invalid: use up to 90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'.");
            var body = await ArmResponses.ReadJsonObjectAsync(request);
            var location = body["location"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(location)) throw new ArmException("LocationRequired", "The location property is required for this definition.");
            var tags = body["tags"]?.DeepClone() as JsonObject ?? [];
            var existing = store.GetResourceGroup(subscriptionId, resourceGroupName);
            if (existing is not null && !existing.Location.Equals(location, StringComparison.OrdinalIgnoreCase))
                throw new ArmException("InvalidResourceGroupLocation", $"Invalid resource group location '{location}'. The Resource group already exists in location '{existing.Location}'.");
            store.PutResourceGroup(new ResourceGroup(subscriptionId, existing?.Name ?? resourceGroupName, existing?.Location ?? location, tags));
            var saved = store.GetResourceGroup(subscriptionId, resourceGroupName)!;
            return ArmResponses.Json(View(saved), existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        });

        subscription.MapGet("/resourcegroups/{resourceGroupName}", (string subscriptionId, string resourceGroupName, IResourceStore store) =>
            ArmResponses.Json(View(Find(store, subscriptionId, resourceGroupName))));

        subscription.MapMethods("/resourcegroups/{resourceGroupName}", [HttpMethods.Head], (string subscriptionId, string resourceGroupName, IResourceStore store) =>
            Results.StatusCode(store.GetResourceGroup(subscriptionId, resourceGroupName) is null ? StatusCodes.Status404NotFound : StatusCodes.Status204NoContent));

        // ARM deletes a group as a long-running operation (az polls the Location); here it is done before the 202.
        subscription.MapDelete("/resourcegroups/{resourceGroupName}", async (string subscriptionId, string resourceGroupName, HttpRequest request, IResourceStore store, DeploymentEngine engine, OperationResults operations) =>
        {
            var group = Find(store, subscriptionId, resourceGroupName);
            await engine.DeleteResourceGroupAsync(group, request.HttpContext.RequestAborted);
            return operations.Accepted(request, group.SubscriptionId, group.Location, null);
        });
    }

    public static ResourceGroup Find(IResourceStore store, string subscriptionId, string resourceGroupName) =>
        store.GetResourceGroup(subscriptionId, resourceGroupName)
            ?? throw new ArmException("ResourceGroupNotFound", $"Resource group '{resourceGroupName}' could not be found.");

    private static JsonObject View(ResourceGroup group) => new()
    {
        ["id"] = ResourceIdentifier.ResourceGroupId(group.SubscriptionId, group.Name),
        ["name"] = group.Name,
        ["type"] = "Microsoft.Resources/resourceGroups",
        ["location"] = group.Location,
        ["tags"] = group.Tags.DeepClone(),
        ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
    };

    [GeneratedRegex(@"^[-\w._()]{1,90}(?<!\.)$")]
    private static partial Regex ValidName();
}
