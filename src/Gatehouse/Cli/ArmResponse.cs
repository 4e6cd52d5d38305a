using System.Net;
using System.Text.Json.Nodes;
using Gatehouse.Errors;

namespace Gatehouse.Cli;

/// <summary>
/// What the management API answered: a status, a JSON body, and the headers a long-running operation needs
/// (<c>Azure-AsyncOperation</c> for a status to poll, or <c>Location</c> for a result to poll).
/// </summary>
public sealed record ArmResponse(HttpStatusCode Status, JsonNode? Body, Uri? AsyncOperation, Uri? Location, TimeSpan RetryAfter)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public ArmError Error => ArmError.FromJson(Body);
}
