using System.Text.Json.Nodes;
using Gatehouse.Errors;

namespace Gatehouse.Control.Api;

/// <summary>
/// Operations ARM answers with <c>202 Accepted</c> and a <c>Location</c> that the client polls
/// (<c>/subscriptions/S/providers/Microsoft.Resources/locations/{location}/operationResults/{id}</c>): what-if and resource
/// group deletion. Both finish before the 202 is sent, so the poll answers at once. Results are kept as
/// <see cref="RecentOperations{T}"/> keeps them.
/// </summary>
internal sealed class OperationResults
{
    private const string Route = "/providers/Microsoft.Resources/locations/{location}/operationResults/{operationId}";

    private readonly RecentOperations<JsonObject?> _results = new(64);

    /// <summary>Keeps <paramref name="result"/> (null: the operation has no body, as a deletion) and answers 202 with where to poll.</summary>
    public IResult Accepted(HttpRequest request, string subscriptionId, string location, JsonObject? result)
    {
        var id = _results.Add(result);
        request.HttpContext.Response.Headers.Location = $"{ArmResponses.BaseUrl(request)}/subscriptions/{subscriptionId}/providers/Microsoft.Resources/locations/"
            + $"{Uri.EscapeDataString(location)}/operationResults/{id}?api-version={Uri.EscapeDataString(request.Query["api-version"].ToString())}";
        // Without Retry-After azure-core waits 30 seconds before its first poll (azure-cli.md §4).
        request.HttpContext.Response.Headers.RetryAfter = "1";
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    public static void MapOperationResultEndpoints(RouteGroupBuilder subscription) =>
        subscription.MapGet(Route, (string operationId, OperationResults operations) =>
        {
            if (!operations._results.TryGet(operationId, out var result))
                throw new ArmException("NotFound", $"The operation result '{operationId}' could not be found; results are kept for the newest {operations._results.Capacity} operations only.");
            return result is null ? Results.Ok() : ArmResponses.Json(result.DeepClone());
        });
}
