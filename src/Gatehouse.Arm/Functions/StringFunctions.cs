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
        ArmFunction.Fixed("replace", 3, Replace),
        ArmFunction.Fixed("split", 2, Split),
        ArmFunction.Variadic("format", 1, Format),
        new("substring", 2, 3, Substring),
        ArmFunction.Fixed("startsWith", 2, args => args.String(0).StartsWith(args.String(1), StringComparison.OrdinalIgnoreCase)),
        ArmFunction.Fixed("endsWith", 2, args => args.String(0).EndsWith(args.String(1), StringComparison.OrdinalIgnoreCase)),
        new("padLeft", 2, 3, PadLeft),
        ArmFunction.Fixed("base64", 1, args => Convert.ToBase64String(Encoding.UTF8.GetBytes(args.String(0)))),
        ArmFunction.Fixed("base64ToString", 1, args => Encoding.UTF8.GetString(FromBase64(args, args.String(0)))),
        ArmFunction.Fixed("base64ToJson", 1, args => ObjectFunctions.ParseJson(args, Encoding.UTF8.GetString(FromBase64(args, args.String(0))))),
        ArmFunction.Fixed("dataUri", 1, args => $"data:text/plain;charset=utf8;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes(args.String(0)))}"),
        ArmFunction.Fixed("dataUriToString", 1, DataUriToString),
        ArmFunction.Fixed("uri", 2, Uri),
        ArmFunction.Fixed("uriComponent", 1, args => System.Uri.EscapeDataString(args.String(0))),
        ArmFunction.Fixed("uriComponentToString", 1, args => System.Uri.UnescapeDataString(args.String(0))),
        ArmFunction.Fixed("join", 2, Join),
        ArmFunction.Fixed("newGuid", 0, args => args.Context.InParameterDefault
            ? Guid.NewGuid().ToString("D")
            : throw args.Error("newGuid() can only be used in the defaultValue of a parameter.")),
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
        var parts = args.String(0).Split(delimiters, StringSplitOptions.None);
        if ((long)parts.Length * Values.NodeCost > TemplateLimits.MaxValueSize) throw TooLong(args);
        return new JsonArray(parts.Select(part => (JsonNode?)part).ToArray());
    }

    /// <summary>.NET composite formatting, which is what ARM's format() uses.</summary>
    private static JsonNode Format(FunctionArguments args)
    {
        var values = Enumerable.Range(1, args.Count - 1).Select(i => FormatArgument(args[i])).ToArray();
        try
        {
            return Bounded(args, text => text.AppendFormat(CultureInfo.InvariantCulture, args.String(0), values));
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

    private static byte[] FromBase64(FunctionArguments args, string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw args.Error("the argument is not valid base64.");
        }
    }

    /// <summary><c>data:[mediatype][;charset=...][;base64],data</c>; only base64 and percent-encoded data exist.</summary>
    private static JsonNode DataUriToString(FunctionArguments args)
    {
        var text = args.String(0);
        var comma = text.IndexOf(',');
        if (!text.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || comma < 0) throw args.Error($"'{text}' is not a data URI.");
        var data = text[(comma + 1)..];
        return text[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(FromBase64(args, data))
            : System.Uri.UnescapeDataString(data);
    }

    /// <summary>RFC 3986 resolution of a relative URI against a base, as System.Uri does it (and as ARM documents uri()).</summary>
    private static JsonNode Uri(FunctionArguments args)
    {
        if (!System.Uri.TryCreate(args.String(0), UriKind.Absolute, out var baseUri)) throw args.Error($"the base URI '{args.String(0)}' is not an absolute URI.");
        return System.Uri.TryCreate(baseUri, args.String(1), out var combined)
            ? combined.AbsoluteUri
            : throw args.Error($"the relative URI '{args.String(1)}' is not valid.");
    }

    private static JsonNode Join(FunctionArguments args) => Bounded(args, text => text.AppendJoin(args.String(1), args.Array(0).Select(item => Values.KindOf(item) switch
    {
        ValueKind.String or ValueKind.Integer or ValueKind.Boolean => Values.ToText(item),
        _ => throw args.Error("the array can only hold strings, integers and booleans."),
    })));

    private static JsonNode Replace(FunctionArguments args)
    {
        var (text, oldValue, newValue) = (args.String(0), args.String(1), args.String(2));
        if (oldValue.Length == 0) throw args.Error("the string to replace cannot be empty.");
        return Bounded(args, result => result.Append(text).Replace(oldValue, newValue));
    }

    /// <summary>
    /// Text that replace, join and format build, which can be many times longer than their arguments: refused when it
    /// would pass <see cref="TemplateLimits.MaxValueSize"/>, before it takes that memory.
    /// </summary>
    private static string Bounded(FunctionArguments args, Action<StringBuilder> build)
    {
        var text = new StringBuilder(0, TemplateLimits.MaxValueSize);
        try
        {
            build(text);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw TooLong(args);
        }
        return text.ToString();
    }

    private static ExpressionException TooLong(FunctionArguments args) =>
        args.Error($"the result would be larger than the limit of {TemplateLimits.MaxValueSize} characters.");
}
