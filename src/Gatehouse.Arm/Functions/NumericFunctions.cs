using System.Globalization;
using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Functions;

/// <summary>64-bit integer arithmetic (overflow is an error, not a wrap-around) and comparisons.</summary>
internal static class NumericFunctions
{
    public static IEnumerable<ArmFunction> All { get; } =
    [
        ArmFunction.Fixed("int", 1, Int),
        Arithmetic("add", (a, b) => checked(a + b)),
        Arithmetic("sub", (a, b) => checked(a - b)),
        Arithmetic("mul", (a, b) => checked(a * b)),
        Arithmetic("div", (a, b) => b == 0 ? throw new DivideByZeroException() : checked(a / b)),
        Arithmetic("mod", (a, b) => b == 0 ? throw new DivideByZeroException() : a % b),
        ArmFunction.Variadic("min", 1, args => Integers(args).Min()),
        ArmFunction.Variadic("max", 1, args => Integers(args).Max()),
        Comparison("greater", order => order > 0),
        Comparison("less", order => order < 0),
        Comparison("greaterOrEquals", order => order >= 0),
        Comparison("lessOrEquals", order => order <= 0),
    ];

    private static ArmFunction Arithmetic(string name, Func<long, long, long> operation) => ArmFunction.Fixed(name, 2, args =>
    {
        try
        {
            return operation(args.Integer(0), args.Integer(1));
        }
        catch (OverflowException)
        {
            throw args.Error("the result does not fit in a 64-bit integer.");
        }
        catch (DivideByZeroException)
        {
            throw args.Error("the divisor is zero.");
        }
    });

    /// <summary>Integers or strings (ordinal), both arguments of the same kind.</summary>
    private static ArmFunction Comparison(string name, Func<int, bool> accept) => ArmFunction.Fixed(name, 2, args => accept(
        args.KindOf(0) == ValueKind.String
            ? string.CompareOrdinal(args.String(0), args.String(1))
            : args.Integer(0).CompareTo(args.Integer(1))));

    /// <summary>min/max take either integers or one array of integers.</summary>
    private static IEnumerable<long> Integers(FunctionArguments args)
    {
        if (args.Count == 1 && args[0] is JsonArray array)
        {
            if (array.Count == 0) throw args.Error("the array is empty.");
            return array.Select(item => Values.TryGetInteger(item, out var integer) ? integer : throw args.WrongType(0, ValueKind.Integer));
        }
        return Enumerable.Range(0, args.Count).Select(args.Integer);
    }

    private static JsonNode Int(FunctionArguments args) => args.KindOf(0) switch
    {
        ValueKind.Integer => args.Integer(0),
        ValueKind.String when long.TryParse(args.String(0), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        ValueKind.String => throw args.Error("the string is not a 64-bit integer."),
        _ => throw args.WrongType(0, ValueKind.Integer, ValueKind.String),
    };
}
