using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Functions;

/// <summary>String functions. ARM documents startsWith, endsWith, indexOf and lastIndexOf as case-insensitive; the rest are ordinal.</summary>
internal static class StringFunctions
{
    public static IEnumerable<ArmFunction> All { get; } =
    [
        ArmFunction.Fixed("string", 1, args => Values.ToText(args[0])),
        ArmFunction.Fixed("toLower", 1, args => args.String(0).ToLowerInvariant()),
        ArmFunction.Fixed("toUpper", 1, args => args.String(0).ToUpperInvariant()),
        ArmFunction.Fixed("trim", 1, args => args.String(0).Trim()),
        ArmFunction.Fixed("replace", 3, args => args.String(0).Replace(args.String(1), args.String(2), StringComparison.Ordinal)),
        ArmFunction.Fixed("split", 2, Split),
        ArmFunction.Variadic("format", 1, Format),
        new("substring", 2, 3, Substring),
        ArmFunction.Fixed("startsWith", 2, args => args.String(0).StartsWith(args.String(1), StringComparison.OrdinalIgnoreCase)),
        ArmFunction.Fixed("endsWith", 2, args => args.String(0).EndsWith(args.String(1), StringComparison.OrdinalIgnoreCase)),
        ArmFunction.Fixed("indexOf", 2, args => (long)args.String(0).IndexOf(args.String(1), StringComparison.OrdinalIgnoreCase)),
        ArmFunction.Fixed("lastIndexOf", 2, args => (long)args.String(0).LastIndexOf(args.String(1), StringComparison.OrdinalIgnoreCase)),
        new("padLeft", 2, 3, PadLeft),
        ArmFunction.Fixed("base64", 1, args => Convert.ToBase64String(Encoding.UTF8.GetBytes(args.String(0)))),
        ArmFunction.Fixed("base64ToString", 1, Base64ToString),
        ArmFunction.Variadic("uniqueString", 1, args => UniqueString.Compute(JoinedStrings(args))),
        ArmFunction.Variadic("guid", 1, args => DeterministicGuid.Compute(JoinedStrings(args)).ToString("D")),
    ];

    /// <summary>uniqueString and guid hash their arguments joined with '-'.</summary>
    private static string JoinedStrings(FunctionArguments args) => string.Join('-', Enumerable.Range(0, args.Count).Select(args.String));

    private static JsonNode Split(FunctionArguments args)
    {
        string[] delimiters = args.KindOf(1) switch
        {
            ValueKind.String => [args.String(1)],
            ValueKind.Array => args.Array(1).Select(d => Values.TryGetString(d, out var text) ? text : throw args.WrongType(1, ValueKind.String)).ToArray(),
            _ => throw args.WrongType(1, ValueKind.String, ValueKind.Array),
        };
        return new JsonArray(args.String(0).Split(delimiters, StringSplitOptions.None).Select(part => (JsonNode?)part).ToArray());
    }

    /// <summary>.NET composite formatting, which is what ARM's format() uses.</summary>
    private static JsonNode Format(FunctionArguments args)
    {
        var values = Enumerable.Range(1, args.Count - 1).Select(i => FormatArgument(args[i])).ToArray();
        try
        {
            return string.Format(CultureInfo.InvariantCulture, args.String(0), values);
        }
        catch (FormatException)
        {
            throw args.Error($"the format string is not valid or refers to more than the {values.Length} argument(s) given.");
        }
    }

    private static object FormatArgument(JsonNode? value) => Values.KindOf(value) switch
    {
        ValueKind.Integer => value!.GetValue<long>(),
        ValueKind.Boolean => value!.GetValue<bool>(),
        _ => Values.ToText(value),
    };

    private static JsonNode Substring(FunctionArguments args)
    {
        var text = args.String(0);
        var start = args.Integer(1);
        var length = args.Count > 2 ? args.Integer(2) : text.Length - start;
        if (start < 0 || start > text.Length) throw args.Error($"the start index {start} is outside the string of length {text.Length}.");
        if (length < 0 || start + length > text.Length) throw args.Error($"the length {length} from index {start} runs past the end of the string of length {text.Length}.");
        return text.Substring((int)start, (int)length);
    }

    private static JsonNode PadLeft(FunctionArguments args)
    {
        var padding = args.Count > 2 ? args.String(2) : " ";
        if (padding.Length != 1) throw args.Error("the padding must be a single character.");
        var width = args.Integer(1);
        if (width is < 0 or > 16 * 1024) throw args.Error($"the total length {width} is out of range.");
        return Values.ToText(args[0]).PadLeft((int)width, padding[0]);
    }

    private static JsonNode Base64ToString(FunctionArguments args)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(args.String(0)));
        }
        catch (FormatException)
        {
            throw args.Error("the argument is not valid base64.");
        }
    }
}
