using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Network.Json;

/// <summary>Typed reads of canonical JSON (names already in the specification's spelling).</summary>
internal static class JsonRead
{
    public static string? String(this JsonObject? obj, string name) =>
        obj?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool? Bool(this JsonObject? obj, string name) => obj?[name] switch
    {
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out var b) => b,
        _ => null,
    };

    public static int? Int(this JsonObject? obj, string name) => obj?[name] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l) && l is >= int.MinValue and <= int.MaxValue => (int)l,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && int.TryParse(v.GetValue<string>(), out var s) => s,
        _ => null,
    };

    public static JsonObject? Object(this JsonObject? obj, string name) => obj?[name] as JsonObject;

    public static IEnumerable<JsonObject> Objects(this JsonObject? obj, string name) =>
        (obj?[name] as JsonArray)?.OfType<JsonObject>() ?? [];

    public static IReadOnlyList<string> Strings(this JsonObject? obj, string name) =>
        (obj?[name] as JsonArray)?.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String)
            .Select(v => v.GetValue<string>()).ToList() ?? [];

    /// <summary>The <c>id</c> of a sub-resource reference such as <c>"frontendPort": { "id": "..." }</c>.</summary>
    public static string? Reference(this JsonObject? obj, string name) => obj.Object(name).String("id");

    public static JsonObject Properties(this JsonObject obj) => obj.Object("properties") ?? [];
}
