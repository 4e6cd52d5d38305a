using System.Text.Json.Nodes;
using System.Text;
using System.Xml;
using Gatehouse.Errors;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Control.Api;

internal static class ArmResponses
{
    public static IResult Json(JsonNode body, int statusCode = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(), "application/json; charset=utf-8", Encoding.UTF8, statusCode);

    public static IResult Error(ArmError error) => Json(error.ToResponse(), StatusFor(error.Code));

    public static IResult Error(string code, string message) => Error(new ArmError(code, message));

    /// <summary>The HTTP status ARM answers with for an error code; anything not listed is the caller's bad request.</summary>
    public static int StatusFor(string code) => code switch
    {
        "AuthenticationFailed" or "InvalidAuthenticationToken" or "Unauthorized" => StatusCodes.Status401Unauthorized,
        "Forbidden" => StatusCodes.Status403Forbidden,
        "SubscriptionNotFound" or "ResourceGroupNotFound" or "ResourceNotFound" or "DeploymentNotFound" or "InvalidResourceNamespace" or "NotFound"
            or "SecretNotFound" or "VaultNotFound"
            => StatusCodes.Status404NotFound,
        "DeploymentActive" or "DeploymentCannotBeCancelled" or "InvalidResourceGroupLocation" => StatusCodes.Status409Conflict,
        "StoreUnavailable" => StatusCodes.Status503ServiceUnavailable,
        "RequestContentTooLarge" => StatusCodes.Status413PayloadTooLarge,
        "InternalServerError" => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>Where the client reached us (az registers either localhost or 127.0.0.1), for absolute URLs in responses.</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    public static string Iso8601(DateTimeOffset timestamp) => timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string Iso8601(TimeSpan duration) => XmlConvert.ToString(duration);

    public static async Task<JsonObject> ReadJsonObjectAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        try
        {
            return JsonNode.Parse(text, documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new ArmException("InvalidRequestContent", "The request content must be a JSON object.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ArmException("InvalidRequestContent", $"The request content could not be parsed: line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}.");
        }
    }

    public static async Task<string> ReadTextAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
    }
}
