using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Functions;

/// <summary>filter, map, reduce, sort, toObject, mapValues and groupBy, whose last argument is a lambda; lambdaVariables reads its parameters.</summary>
internal static class LambdaFunctions
{
    public static IEnumerable<ArmFunction> All { get; } =
    [
        ArmFunction.Fixed("filter", 2, args => Each(args, args.Lambda(1, 1, 2), (item, result) => Values.TryGetBoolean(result, out var keep) && keep ? item : null, keepNulls: false)),
        ArmFunction.Fixed("map", 2, args => Each(args, args.Lambda(1, 1, 2), (_, result) => result, keepNulls: true)),
        ArmFunction.Fixed("reduce", 3, Reduce),
        ArmFunction.Fixed("sort", 2, Sort),
        new("toObject", 2, 3, ToObject),
        ArmFunction.Fixed("mapValues", 2, MapValues),
        ArmFunction.Fixed("groupBy", 2, GroupBy),
        ArmFunction.Variadic("lambda", 1, args => throw args.Error("a lambda can only be an argument of filter, map, reduce, sort, toObject, mapValues or groupBy.")),
        ArmFunction.Fixed("lambdaVariables", 1, args => args.LambdaVariable(args.String(0))),
    ];

    /// <summary>Calls the lambda with (item, index) for every element; <paramref name="select"/> picks what goes in the result.</summary>
    private static JsonArray Each(FunctionArguments args, Lambda lambda, Func<JsonNode?, JsonNode?, JsonNode?> select, bool keepNulls)
    {
        var results = new List<JsonNode?>();
        foreach (var (item, index) in args.Array(0).Select((item, index) => (item, index)))
        {
            var selected = select(item, args.Invoke(lambda, item, (long)index));
            if (keepNulls || selected is not null) results.Add(selected);
        }
        return Values.ArrayOf(results);
    }

    private static JsonNode? Reduce(FunctionArguments args)
    {
        var lambda = args.Lambda(2, 2, 3);
        var accumulator = Values.Detach(args[1]);
        foreach (var (item, index) in args.Array(0).Select((item, index) => (item, index)))
            accumulator = args.Invoke(lambda, accumulator, item, (long)index);
        return accumulator;
    }

    /// <summary>The lambda says whether its first argument sorts before its second; equal elements keep their order.</summary>
    private static JsonArray Sort(FunctionArguments args)
    {
        var lambda = args.Lambda(1, 2, 2);
        bool Before(JsonNode? a, JsonNode? b) => Values.TryGetBoolean(args.Invoke(lambda, a, b), out var before) && before;
        var comparer = Comparer<JsonNode?>.Create((a, b) => Before(a, b) ? -1 : Before(b, a) ? 1 : 0);
        return Values.ArrayOf(args.Array(0).Order(comparer));
    }

    private static JsonObject ToObject(FunctionArguments args)
    {
        var key = args.Lambda(1, 1, 1);
        var value = args.Count > 2 ? args.Lambda(2, 1, 1) : null;
        var result = new JsonObject();
        foreach (var item in args.Array(0))
            result[Key(args, args.Invoke(key, item))] = value is null ? Values.Detach(item) : args.Invoke(value, item);
        return result;
    }

    private static JsonObject MapValues(FunctionArguments args)
    {
        var lambda = args.Lambda(1, 1, 1);
        return new JsonObject(args.Object(0).Select(p => KeyValuePair.Create(p.Key, args.Invoke(lambda, p.Value))));
    }

    private static JsonObject GroupBy(FunctionArguments args)
    {
        var lambda = args.Lambda(1, 1, 1);
        var groups = new JsonObject();
        foreach (var item in args.Array(0))
        {
            var key = Key(args, args.Invoke(lambda, item));
            if (groups[key] is not JsonArray group) groups[key] = group = [];
            group.Add(Values.Detach(item));
        }
        return groups;
    }

    private static string Key(FunctionArguments args, JsonNode? key) =>
        Values.TryGetString(key, out var text) ? text : throw args.Error($"the lambda must give a string key, not '{Values.Describe(Values.KindOf(key))}'.");
}
