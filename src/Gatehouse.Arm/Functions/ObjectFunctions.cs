using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Functions;

/// <summary>json, createObject and tryGet.</summary>
internal static class ObjectFunctions
{
    public static IEnumerable<ArmFunction> All { get; } =
    [
        ArmFunction.Fixed("json", 1, Json),
        ArmFunction.Variadic("createObject", 0, CreateObject),
        ArmFunction.Variadic("tryGet", 2, TryGet),
    ];

    private static JsonNode? Json(FunctionArguments args)
    {
        try
        {
            return JsonNode.Parse(args.String(0));
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
