using System.Text.Json.Nodes;

namespace Gatehouse.Errors;

/// <summary>An error in ARM's shape: <c>{ "error": { "code", "message", "target", "details" } }</c>.</summary>
public sealed record ArmError(string Code, string Message, string? Target = null, IReadOnlyList<ArmError>? Details = null)
{
    public JsonObject ToJson()
    {
        var body = new JsonObject { ["code"] = Code, ["message"] = Message };
        if (Target is not null) body["target"] = Target;
        if (Details is { Count: > 0 }) body["details"] = new JsonArray(Details.Select(d => (JsonNode)d.ToJson()).ToArray());
        return body;
    }

    /// <summary>The envelope ARM returns as a response body.</summary>
    public JsonObject ToResponse() => new() { ["error"] = ToJson() };

    public static ArmError FromJson(JsonNode? node)
    {
        var error = node?["error"] ?? node;
        var details = error?["details"] as JsonArray;
        return new ArmError(
            error?["code"]?.GetValue<string>() ?? "Unknown",
            error?["message"]?.GetValue<string>() ?? "",
            error?["target"]?.GetValue<string>(),
            details?.Select(FromJson).ToList());
    }
}

/// <summary>Thrown where a template, a parameter or a resource is not acceptable; carries the ARM error to show.</summary>
public sealed class ArmException(ArmError error) : Exception(error.Message)
{
    public ArmError Error { get; } = error;

    public ArmException(string code, string message, string? target = null)
        : this(new ArmError(code, message, target)) { }
}
