using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Functions;

/// <summary>if, equals, not, and, or, bool, coalesce and the literal functions true(), false(), null().</summary>
internal static class LogicalFunctions
{
    public static IEnumerable<ArmFunction> All { get; } =
    [
        ArmFunction.Fixed("if", 3, args => Values.Detach(args.Boolean(0) ? args[1] : args[2])),
        ArmFunction.Fixed("equals", 2, args => Values.DeepEquals(args[0], args[1])),
        ArmFunction.Fixed("not", 1, args => !args.Boolean(0)),
        ArmFunction.Variadic("and", 2, args => Enumerable.Range(0, args.Count).All(args.Boolean)),
        ArmFunction.Variadic("or", 2, args => Enumerable.Range(0, args.Count).Any(args.Boolean)),
        ArmFunction.Fixed("bool", 1, Bool),
        ArmFunction.Variadic("coalesce", 1, args => Values.Detach(args.All.FirstOrDefault(value => value is not null))),
        ArmFunction.Fixed("true", 0, _ => true),
        ArmFunction.Fixed("false", 0, _ => false),
        ArmFunction.Fixed("null", 0, _ => null),
    ];

    private static JsonNode Bool(FunctionArguments args) => args.KindOf(0) switch
    {
        ValueKind.Boolean => args.Boolean(0),
        ValueKind.Integer => args.Integer(0) != 0,
        ValueKind.String when bool.TryParse(args.String(0), out var parsed) => parsed,
        ValueKind.String => throw args.Error("the string can only be 'true' or 'false'."),
        _ => throw args.WrongType(0, ValueKind.Boolean, ValueKind.Integer, ValueKind.String),
    };
}
