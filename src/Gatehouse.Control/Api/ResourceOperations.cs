using System.Text.Json.Nodes;
using Gatehouse.Errors;

namespace Gatehouse.Control.Api;

/// <summary>
/// Long-running resource PUTs as the Network provider reports them: the PUT answers with <c>Azure-AsyncOperation</c>
/// (<c>.../providers/Microsoft.Network/locations/{location}/operations/{id}</c>: <c>{ status: InProgress | Succeeded |
/// Failed, error }</c>) and <c>Location</c> (<c>.../operationResults/{id}</c>: 202 while in progress, then 204, or the
/// error). Kept as <see cref="RecentOperations{T}"/> keeps them.
/// </summary>
internal sealed class ResourceOperations
{
    private const string Route = "/providers/Microsoft.Network/locations/{location}/";

    private readonly RecentOperations<Task> _operations = new(256);

    /// <summary>Tracks <paramref name="committed"/> and sets the headers a client polls, with Retry-After so azure-core polls each second.</summary>
    public void Track(HttpRequest request, string subscriptionId, string location, Task committed)
    {
        var id = _operations.Add(committed);
        var headers = request.HttpContext.Response.Headers;
        headers["Azure-AsyncOperation"] = Url(request, subscriptionId, location, "operations", id);
        headers.Location = Url(request, subscriptionId, location, "operationResults", id);
        headers.RetryAfter = "1";
    }

    private static string Url(HttpRequest request, string subscriptionId, string location, string kind, string id) =>
        $"{ArmResponses.BaseUrl(request)}/subscriptions/{subscriptionId}/providers/Microsoft.Network/locations/{Uri.EscapeDataString(location)}/{kind}/{id}"
        + $"?api-version={Uri.EscapeDataString(request.Query["api-version"].ToString())}";

    public static void MapResourceOperationEndpoints(RouteGroupBuilder subscription)
    {
        subscription.MapGet(Route + "operations/{operationId}", (string operationId, ResourceOperations operations) =>
        {
            var committed = operations.Find(operationId);
            var status = new JsonObject { ["status"] = !committed.IsCompleted ? "InProgress" : committed.IsCompletedSuccessfully ? "Succeeded" : "Failed" };
            if (Error(committed) is { } error) status["error"] = error.ToJson();
            return ArmResponses.Json(status);
        });

        subscription.MapGet(Route + "operationResults/{operationId}", (string operationId, HttpRequest request, ResourceOperations operations) =>
        {
            var committed = operations.Find(operationId);
            if (!committed.IsCompleted)
            {
                request.HttpContext.Response.Headers.RetryAfter = "1";
                request.HttpContext.Response.Headers.Location = $"{ArmResponses.BaseUrl(request)}{request.Path}{request.QueryString}";
                return Results.StatusCode(StatusCodes.Status202Accepted);
            }
            return Error(committed) is { } error ? ArmResponses.Error(error) : Results.NoContent();
        });
    }

    private Task Find(string operationId) => _operations.TryGet(operationId, out var committed)
        ? committed
        : throw new ArmException("NotFound", $"The operation '{operationId}' could not be found; operations are kept for the newest {_operations.Capacity} only.");

    /// <summary>What stopped the operation: the engine reports every failure as an ARM error (a fault of its own with a tracking id).</summary>
    private static ArmError? Error(Task committed) => (committed.Exception?.InnerException as ArmException)?.Error;
}
