using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Functions;

/// <summary>json, createObject, tryGet, objectKeys, items and shallowMerge.</summary>
internal static class ObjectFunctions
{
    public static IEnumerable<ArmFunction> All { get; } =
    [
        ArmFunction.Fixed("json", 1, Json),
        ArmFunction.Variadic("createObject", 0, CreateObject),
        ArmFunction.Variadic("tryGet", 2, TryGet),
        ArmFunction.Fixed("objectKeys", 1, args => new JsonArray(args.Object(0).Select(p => (JsonNode?)p.Key).ToArray())),
        ArmFunction.Fixed("items", 1, Items),
        ArmFunction.Fixed("shallowMerge", 1, ShallowMerge),
    ];

    private static JsonNode? Json(FunctionArguments args) => ParseJson(args, args.String(0));

    public static JsonNode? ParseJson(FunctionArguments args, string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw args.Error($"the string is not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}).");
        }
    }

    private static JsonNode CreateObject(FunctionArguments args)
    {
        if (args.Count % 2 != 0) throw args.Error("the arguments must be key and value pairs.");
        var result = new JsonObject();
        for (var i = 0; i < args.Count; i += 2) result[args.String(i)] = Values.Detach(args[i + 1]);
        return result;
    }

    /// <summary>An array of <c>{ key, value }</c> in ordinal order of the keys, as ARM sorts them.</summary>
    private static JsonNode Items(FunctionArguments args) => new JsonArray(args.Object(0)
        .OrderBy(p => p.Key, StringComparer.Ordinal)
        .Select(p => (JsonNode?)new JsonObject { ["key"] = p.Key, ["value"] = Values.Detach(p.Value) })
        .ToArray());

    /// <summary>The objects of an array merged one level deep: a later object's property replaces an earlier one's whole.</summary>
    private static JsonNode ShallowMerge(FunctionArguments args)
    {
        var merged = new JsonObject();
        foreach (var item in args.Array(0))
        {
            if (item is not JsonObject obj) throw args.Error("the array can only hold objects.");
            foreach (var (key, value) in obj) merged[key] = Values.Detach(value);
        }
        return merged;
    }

    /// <summary>Walks object properties and array indexes, giving null instead of an error when one is missing.</summary>
    private static JsonNode? TryGet(FunctionArguments args)
    {
        var current = args[0];
        for (var i = 1; i < args.Count && current is not null; i++)
        {
            current = current switch
            {
                JsonObject obj => Values.Property(obj, args.String(i)),
                JsonArray array when Values.TryGetInteger(args[i], out var index) => index >= 0 && index < array.Count ? array[(int)index] : null,
                _ => null,
            };
        }
        return Values.Detach(current);
    }
}
