using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Functions;

/// <summary>Functions over arrays, strings and objects alike: concat, contains, empty, length, union, first, last, ...</summary>
internal static class CollectionFunctions
{
    public static IEnumerable<ArmFunction> All { get; } =
    [
        ArmFunction.Variadic("concat", 1, Concat),
        ArmFunction.Fixed("contains", 2, Contains),
        ArmFunction.Fixed("empty", 1, args => Length(args, 0) == 0),
        ArmFunction.Fixed("length", 1, args => Length(args, 0)),
        ArmFunction.Variadic("union", 1, Union),
        ArmFunction.Variadic("createArray", 0, args => Values.ArrayOf(args.All)),
        ArmFunction.Fixed("array", 1, args => args[0] is JsonArray array ? array : Values.ArrayOf([args[0]])),
        ArmFunction.Fixed("first", 1, args => Element(args, fromEnd: false)),
        ArmFunction.Fixed("last", 1, args => Element(args, fromEnd: true)),
        ArmFunction.Fixed("skip", 2, args => Slice(args, (count, n) => (n, count - n))),
        ArmFunction.Fixed("take", 2, args => Slice(args, (count, n) => (0, n))),
        ArmFunction.Fixed("range", 2, Range),
        ArmFunction.Fixed("indexOf", 2, args => IndexOf(args, fromEnd: false)),
        ArmFunction.Fixed("lastIndexOf", 2, args => IndexOf(args, fromEnd: true)),
        ArmFunction.Fixed("indexFromEnd", 2, args => FromEnd(args) ?? throw args.Error($"the index {args.Integer(1)} from the end is outside the array of length {args.Array(0).Count}.")),
        ArmFunction.Fixed("tryIndexFromEnd", 2, FromEnd),
        ArmFunction.Fixed("flatten", 1, Flatten),
        ArmFunction.Variadic("intersection", 2, Intersection),
    ];

    /// <summary>Strings match ignoring case, as ARM documents; array elements by deep equality; -1 when absent.</summary>
    private static JsonNode IndexOf(FunctionArguments args, bool fromEnd)
    {
        if (args[0] is JsonArray array)
        {
            var matches = array.Select((item, i) => (item, i)).Where(pair => Values.DeepEquals(pair.item, args[1])).Select(pair => (long)pair.i);
            return (fromEnd ? matches.LastOrDefault(-1) : matches.FirstOrDefault(-1));
        }
        var (text, value) = (args.String(0), args.String(1));
        return (long)(fromEnd ? text.LastIndexOf(value, StringComparison.OrdinalIgnoreCase) : text.IndexOf(value, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>indexFromEnd(array, 1) is the last element; null when out of range.</summary>
    private static JsonNode? FromEnd(FunctionArguments args)
    {
        var (array, index) = (args.Array(0), args.Integer(1));
        return index >= 1 && index <= array.Count ? Values.Detach(array[array.Count - (int)index]) : null;
    }

    private static JsonNode Flatten(FunctionArguments args) =>
        Values.ArrayOf(args.Array(0).SelectMany(item => item as JsonArray ?? throw args.Error("every element of the array must be an array.")));

    /// <summary>Arrays: the elements of the first found in all the others. Objects: the properties with equal values in all.</summary>
    private static JsonNode Intersection(FunctionArguments args)
    {
        var others = Enumerable.Range(1, args.Count - 1).Select(i => args[i]).ToList();
        if (args[0] is JsonObject first)
        {
            return new JsonObject(first
                .Where(p => others.All(o => o is JsonObject obj && obj.TryGetPropertyValue(p.Key, out var value) && Values.DeepEquals(value, p.Value)))
                .Select(p => KeyValuePair.Create(p.Key, Values.Detach(p.Value))));
        }
        var kept = new List<JsonNode?>();
        foreach (var item in args.Array(0))
        {
            if (others.All(o => o is JsonArray array && array.Any(candidate => Values.DeepEquals(candidate, item))) && !kept.Any(k => Values.DeepEquals(k, item)))
                kept.Add(item);
        }
        return Values.ArrayOf(kept);
    }

    /// <summary>Arrays concatenate into an array; anything else concatenates as text.</summary>
    private static JsonNode Concat(FunctionArguments args) => args.KindOf(0) == ValueKind.Array
        ? Values.ArrayOf(Enumerable.Range(0, args.Count).SelectMany(i => args.KindOf(i) == ValueKind.Null ? [] : args.Array(i)))
        : string.Concat(args.All.Select(Values.ToText));

    private static JsonNode Contains(FunctionArguments args) => args[0] switch
    {
        JsonArray array => array.Any(item => Values.DeepEquals(item, args[1])),
        JsonObject obj => Values.TryGetProperty(obj, args.String(1), out _),
        _ => args.String(0).Contains(Values.ToText(args[1]), StringComparison.Ordinal),
    };

    private static long Length(FunctionArguments args, int index) => args[index] switch
    {
        null => 0,
        JsonArray array => array.Count,
        JsonObject obj => obj.Count,
        _ when args.KindOf(index) == ValueKind.String => args.String(index).Length,
        _ => throw args.WrongType(index, ValueKind.String, ValueKind.Array, ValueKind.Object),
    };

    /// <summary>Objects merge with later values winning; arrays keep the first occurrence of each distinct element.</summary>
    private static JsonNode Union(FunctionArguments args)
    {
        if (args.KindOf(0) == ValueKind.Object)
        {
            var merged = new JsonObject();
            for (var i = 0; i < args.Count; i++)
                foreach (var (key, value) in args.Object(i)) merged[ExistingKey(merged, key)] = Values.Detach(value);
            return merged;
        }
        var items = new List<JsonNode?>();
        for (var i = 0; i < args.Count; i++)
            items.AddRange(args.Array(i).Where(item => !items.Any(seen => Values.DeepEquals(seen, item))));
        return Values.ArrayOf(items);
    }

    private static string ExistingKey(JsonObject obj, string key) =>
        obj.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) ?? key;

    private static JsonNode? Element(FunctionArguments args, bool fromEnd)
    {
        if (args[0] is JsonArray array) return array.Count == 0 ? null : Values.Detach(array[fromEnd ? ^1 : 0]);
        var text = args.String(0);
        return text.Length == 0 ? "" : text[fromEnd ? ^1 : 0].ToString();
    }

    /// <summary>skip/take on arrays and strings; <paramref name="window"/> maps (length, n) to (start, count) before clamping.</summary>
    private static JsonNode Slice(FunctionArguments args, Func<long, long, (long Start, long Count)> window)
    {
        var length = Length(args, 0);
        var (start, count) = window(length, args.Integer(1));
        start = Math.Clamp(start, 0, length);
        count = Math.Clamp(count, 0, length - start);
        return args[0] is JsonArray array
            ? Values.ArrayOf(array.Skip((int)start).Take((int)count))
            : args.String(0).Substring((int)start, (int)count);
    }

    private static JsonNode Range(FunctionArguments args)
    {
        var (start, count) = (args.Integer(0), args.Integer(1));
        if (count is < 0 or > 10_000) throw args.Error($"the count {count} must be between 0 and 10000.");
        return new JsonArray(Enumerable.Range(0, (int)count).Select(i => (JsonNode?)(start + i)).ToArray());
    }
}
