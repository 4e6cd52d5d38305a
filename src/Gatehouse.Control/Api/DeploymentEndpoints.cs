using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Control.Deployments;
using Gatehouse.Control.Store;
using Gatehouse.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Control.Api;

/// <summary>
/// <c>Microsoft.Resources/deployments</c> in a resource group: create (a long-running operation az polls through
/// <c>Azure-AsyncOperation</c>), cancel, validate, what-if, get, list, delete, operations and the operation status.
/// </summary>
internal static class DeploymentEndpoints
{
    private const string Deployments = "/resourcegroups/{resourceGroupName}/providers/Microsoft.Resources/deployments";
    private const string Deployment = Deployments + "/{deploymentName}";

    public static void MapDeploymentEndpoints(this RouteGroupBuilder subscription)
    {
        subscription.MapGet(Deployments, (string subscriptionId, string resourceGroupName, IResourceStore store) =>
        {
            var group = ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName);
            return ArmResponses.Json(new JsonObject
            {
                ["value"] = new JsonArray(store.ListDeployments(group.SubscriptionId, group.Name).Select(d => (JsonNode)View(d)).ToArray()),
            });
        });

        subscription.MapPut(Deployment, async (string subscriptionId, string resourceGroupName, string deploymentName, HttpRequest request, IResourceStore store, DeploymentEngine engine) =>
        {
            var (group, deploymentRequest) = await ReadAsync(store, subscriptionId, resourceGroupName, request);
            var (started, replaced) = engine.Start(group, deploymentName, deploymentRequest, CorrelationId(request));
            var headers = request.HttpContext.Response.Headers;
            headers["Azure-AsyncOperation"] = OperationUrl(request, started, "operationStatuses");
            headers.Location = OperationUrl(request, started, "operationResults");
            // Without Retry-After azure-core polls every 30 seconds (azure-cli.md §4).
            headers.RetryAfter = "1";
            return ArmResponses.Json(View(started), replaced ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        });

        subscription.MapGet(Deployment, (string subscriptionId, string resourceGroupName, string deploymentName, IResourceStore store) =>
            ArmResponses.Json(View(Find(store, subscriptionId, resourceGroupName, deploymentName))));

        subscription.MapDelete(Deployment, (string subscriptionId, string resourceGroupName, string deploymentName, IResourceStore store) =>
        {
            var group = ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName);
            if (store.GetDeployment(group.SubscriptionId, group.Name, deploymentName) is { IsTerminal: false })
                throw new ArmException("DeploymentActive", $"The deployment '{deploymentName}' is still running and cannot be deleted.");
            return Results.StatusCode(store.DeleteDeployment(group.SubscriptionId, group.Name, deploymentName) ? StatusCodes.Status200OK : StatusCodes.Status204NoContent);
        });

        subscription.MapPost(Deployment + "/cancel", (string subscriptionId, string resourceGroupName, string deploymentName, IResourceStore store, DeploymentEngine engine) =>
        {
            engine.Cancel(ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName), deploymentName);
            return Results.NoContent();
        });

        subscription.MapPost(Deployment + "/validate", async (string subscriptionId, string resourceGroupName, string deploymentName, HttpRequest request, IResourceStore store, DeploymentEngine engine) =>
        {
            var (group, deploymentRequest) = await ReadAsync(store, subscriptionId, resourceGroupName, request);
            var validated = await engine.ValidateAsync(group, deploymentName, deploymentRequest, CorrelationId(request), request.HttpContext.RequestAborted);
            var view = View(validated);
            view["properties"]!["validatedResources"] = new JsonArray(validated.Operations.Select(o => (JsonNode)new JsonObject { ["id"] = o.ResourceId }).ToArray());
            return ArmResponses.Json(view);
        });

        // Computed before the 202, so az's first poll of the Location finds the result.
        subscription.MapPost(Deployment + "/whatIf", async (string subscriptionId, string resourceGroupName, string deploymentName, HttpRequest request, IResourceStore store, DeploymentEngine engine, OperationResults operations) =>
        {
            var (group, deploymentRequest) = await ReadAsync(store, subscriptionId, resourceGroupName, request);
            var changes = await engine.WhatIfAsync(group, deploymentName, deploymentRequest, CorrelationId(request), request.HttpContext.RequestAborted);
            return operations.Accepted(request, group.SubscriptionId, group.Location,
                new JsonObject { ["status"] = DeploymentStates.Succeeded, ["properties"] = new JsonObject { ["changes"] = changes } });
        });

        subscription.MapGet(Deployment + "/operationStatuses/{operationId}", (string subscriptionId, string resourceGroupName, string deploymentName, string operationId, IResourceStore store) =>
        {
            var deployment = Find(store, subscriptionId, resourceGroupName, deploymentName);
            if (!deployment.OperationId.Equals(operationId, StringComparison.OrdinalIgnoreCase))
                throw new ArmException("NotFound", $"The operation '{operationId}' of deployment '{deploymentName}' could not be found; the deployment has been run again since.");
            var status = new JsonObject { ["status"] = deployment.IsTerminal ? deployment.ProvisioningState : DeploymentStates.Running };
            if (deployment.Error is not null) status["error"] = deployment.Error.ToJson();
            return ArmResponses.Json(status);
        });

        // The Location of the PUT: 202 while the deployment runs, then the deployment, or what stopped it.
        subscription.MapGet(Deployment + "/operationResults/{operationId}", (string subscriptionId, string resourceGroupName, string deploymentName, string operationId,
            HttpRequest request, IResourceStore store) =>
        {
            var deployment = Find(store, subscriptionId, resourceGroupName, deploymentName);
            if (!deployment.OperationId.Equals(operationId, StringComparison.OrdinalIgnoreCase))
                throw new ArmException("NotFound", $"The operation '{operationId}' of deployment '{deploymentName}' could not be found; the deployment has been run again since.");
            if (!deployment.IsTerminal)
            {
                request.HttpContext.Response.Headers.RetryAfter = "1";
                request.HttpContext.Response.Headers.Location = $"{ArmResponses.BaseUrl(request)}{request.Path}{request.QueryString}";
                return Results.StatusCode(StatusCodes.Status202Accepted);
            }
            return deployment.Error is { } error ? ArmResponses.Error(error) : ArmResponses.Json(View(deployment));
        });

        // az deployment operation group list uses the legacy path without providers/Microsoft.Resources.
        foreach (var operations in new[] { Deployment + "/operations", "/resourcegroups/{resourceGroupName}/deployments/{deploymentName}/operations" })
        {
            subscription.MapGet(operations, (string subscriptionId, string resourceGroupName, string deploymentName, IResourceStore store) =>
            {
                var deployment = Find(store, subscriptionId, resourceGroupName, deploymentName);
                return ArmResponses.Json(new JsonObject { ["value"] = new JsonArray(deployment.Operations.Select(o => (JsonNode)OperationView(deployment, o)).ToArray()) });
            });
        }
    }

    private static async Task<(ResourceGroup Group, DeploymentRequest Request)> ReadAsync(IResourceStore store, string subscriptionId, string resourceGroupName, HttpRequest request)
    {
        var group = ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName);
        return (group, DeploymentRequest.Parse(await ReadBodyAsync(request)));
    }

    /// <summary>
    /// ARM refuses a deployment body over 4 MB (template and parameters together); refused here before it is buffered,
    /// by its Content-Length or, chunked, by Kestrel once the body passes the limit.
    /// </summary>
    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        var tooLarge = new ArmException("RequestContentTooLarge", $"The request content size exceeds the maximum size of {TemplateLimits.MaxTemplateBytes / (1024 * 1024)} MB.");
        if (request.ContentLength > TemplateLimits.MaxTemplateBytes) throw tooLarge;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = TemplateLimits.MaxTemplateBytes;
        try
        {
            return await ArmResponses.ReadTextAsync(request);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw tooLarge;
        }
    }

    private static Deployment Find(IResourceStore store, string subscriptionId, string resourceGroupName, string deploymentName)
    {
        var group = ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName);
        return store.GetDeployment(group.SubscriptionId, group.Name, deploymentName)
            ?? throw new ArmException("DeploymentNotFound", $"Deployment '{deploymentName}' could not be found.");
    }

    /// <summary>Where a client polls the deployment's run: its operationStatuses (Azure-AsyncOperation) or operationResults (Location).</summary>
    private static string OperationUrl(HttpRequest request, Deployment deployment, string kind) =>
        $"{ArmResponses.BaseUrl(request)}{ResourceIdentifier.DeploymentId(deployment.SubscriptionId, deployment.ResourceGroup, deployment.Name)}"
        + $"/{kind}/{deployment.OperationId}?api-version={Uri.EscapeDataString(request.Query["api-version"].ToString())}";

    private static string CorrelationId(HttpRequest request) =>
        Guid.TryParse(request.Headers["x-ms-correlation-request-id"], out var id) ? id.ToString() : Guid.NewGuid().ToString();

    private static JsonObject View(Deployment d)
    {
        var properties = new JsonObject
        {
            ["templateHash"] = d.TemplateHash,
            ["parameters"] = d.Parameters?.DeepClone(),
            ["mode"] = d.Mode,
            ["provisioningState"] = d.ProvisioningState,
            ["timestamp"] = ArmResponses.Iso8601(d.EndTime ?? d.Timestamp),
            ["duration"] = ArmResponses.Iso8601((d.EndTime ?? DateTimeOffset.UtcNow) - d.Timestamp),
            ["correlationId"] = d.CorrelationId,
            ["outputs"] = d.Outputs?.DeepClone(),
            ["outputResources"] = new JsonArray(d.OutputResourceIds.Select(id => (JsonNode)new JsonObject { ["id"] = id }).ToArray()),
        };
        if (d.Error is not null) properties["error"] = d.Error.ToJson();
        return new JsonObject
        {
            ["id"] = ResourceIdentifier.DeploymentId(d.SubscriptionId, d.ResourceGroup, d.Name),
            ["name"] = d.Name,
            ["type"] = "Microsoft.Resources/deployments",
            ["properties"] = properties,
        };
    }

    private static JsonObject OperationView(Deployment deployment, DeploymentOperation o)
    {
        var properties = new JsonObject
        {
            ["provisioningOperation"] = "Create",
            ["provisioningState"] = o.ProvisioningState,
            ["timestamp"] = ArmResponses.Iso8601(o.Timestamp),
            ["trackingId"] = deployment.CorrelationId,
            ["statusCode"] = o.Error is null ? "OK" : "BadRequest",
        };
        if (o.Error is not null) properties["statusMessage"] = o.Error.ToResponse();
        if (o.ResourceId is not null)
            properties["targetResource"] = new JsonObject { ["id"] = o.ResourceId, ["resourceType"] = o.ResourceType, ["resourceName"] = o.ResourceName };
        return new JsonObject
        {
            ["id"] = $"{ResourceIdentifier.DeploymentId(deployment.SubscriptionId, deployment.ResourceGroup, deployment.Name)}/operations/{o.OperationId}",
            ["operationId"] = o.OperationId,
            ["properties"] = properties,
        };
    }
}
