using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Arm.Expressions;

/// <summary>The kinds of value the template language works with.</summary>
internal enum ValueKind { Null, String, Integer, Boolean, Object, Array, Number }

/// <summary>Helpers to inspect and build the <see cref="JsonNode"/> values expressions produce.</summary>
internal static class Values
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ValueKind KindOf(JsonNode? value) => value switch
    {
        null => ValueKind.Null,
        JsonObject => ValueKind.Object,
        JsonArray => ValueKind.Array,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => ValueKind.String,
            JsonValueKind.True or JsonValueKind.False => ValueKind.Boolean,
            JsonValueKind.Number => TryGetInteger(v, out _) ? ValueKind.Integer : ValueKind.Number,
            _ => ValueKind.Null,
        },
        _ => ValueKind.Null,
    };

    /// <summary>The name ARM uses for a kind in messages.</summary>
    public static string Describe(ValueKind kind) => kind.ToString();

    public static bool TryGetString(JsonNode? value, out string text)
    {
        text = "";
        return value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue(out text!);
    }

    /// <summary>Parsed numbers hold a JsonElement; numbers built in code hold their CLR type, so int is accepted as well as long.</summary>
    public static bool TryGetInteger(JsonNode? value, out long integer)
    {
        integer = 0;
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) return false;
        if (v.TryGetValue(out integer)) return true;
        if (!v.TryGetValue(out int small)) return false;
        integer = small;
        return true;
    }

    public static bool TryGetBoolean(JsonNode? value, out bool boolean)
    {
        boolean = false;
        return value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False && v.TryGetValue(out boolean);
    }

    /// <summary>A value as text the way ARM's string conversion does it: strings as-is, booleans as True/False, containers as compact JSON.</summary>
    public static string ToText(JsonNode? value) => KindOf(value) switch
    {
        ValueKind.Null => "",
        ValueKind.String => value!.GetValue<string>(),
        ValueKind.Boolean => value!.GetValue<bool>() ? "True" : "False",
        ValueKind.Integer => value!.GetValue<long>().ToString(CultureInfo.InvariantCulture),
        _ => ToJson(value),
    };

    public static string ToJson(JsonNode? value) => value?.ToJsonString(Compact) ?? "null";

    /// <summary>A node that can be attached to a new parent: JsonNode instances belong to a single tree.</summary>
    public static JsonNode? Detach(JsonNode? value) => value?.Parent is null ? value : value.DeepClone();

    public static bool DeepEquals(JsonNode? left, JsonNode? right) => JsonNode.DeepEquals(left, right);

    /// <summary>Property lookup, exact first and then ignoring case, as ARM member names are case-insensitive.</summary>
    public static bool TryGetProperty(JsonObject target, string name, out JsonNode? value)
    {
        if (target.TryGetPropertyValue(name, out value)) return true;
        foreach (var (key, candidate) in target)
        {
            if (!string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) continue;
            value = candidate;
            return true;
        }
        value = null;
        return false;
    }

    public static JsonNode? Property(JsonObject? target, string name) =>
        target is not null && TryGetProperty(target, name, out var value) ? value : null;

    /// <summary>
    /// The length of the value's compact JSON, every value counting at least <see cref="NodeCost"/>, and how deeply its
    /// arrays and objects nest. Counting stops once the size passes <paramref name="limit"/>, so that measuring costs no
    /// more than the limit however large the value. Not recursive: a value may be nested deeper than the stack allows.
    /// </summary>
    public static (long Size, int Depth) Measure(JsonNode? value, long limit)
    {
        var (size, deepest) = (0L, 0);
        var pending = new Stack<(JsonNode? Node, int Depth)>();
        pending.Push((value, 0));
        while (pending.Count > 0 && size <= limit)
        {
            var (node, depth) = pending.Pop();
            deepest = Math.Max(deepest, depth);
            switch (node)
            {
                case JsonObject obj:
                    size += NodeCost;
                    foreach (var (key, child) in obj)
                    {
                        size += key.Length + 3;
                        pending.Push((child, depth + 1));
                    }
                    break;
                case JsonArray array:
                    size += NodeCost;
                    foreach (var child in array) pending.Push((child, depth + 1));
                    break;
                default:
                    size += TryGetString(node, out var text) ? Math.Max(NodeCost, text.Length + 2) : NodeCost;
                    break;
            }
        }
        return (size, deepest);
    }

    /// <summary>What a value costs at least: near what one node takes in memory, so that many small values add up as they do there.</summary>
    public const int NodeCost = 16;

    public static JsonArray ArrayOf(IEnumerable<JsonNode?> items) => new(items.Select(Detach).ToArray());
}
