using System.Text.Json.Nodes;

namespace Gatehouse.Arm.Expressions;

/// <summary>An entry of the function table: the name, how many arguments it takes and what it does.</summary>
internal sealed record ArmFunction(string Name, int MinArguments, int MaxArguments, Func<FunctionArguments, JsonNode?> Invoke)
{
    public const int Unbounded = int.MaxValue;

    public static ArmFunction Fixed(string name, int count, Func<FunctionArguments, JsonNode?> invoke) => new(name, count, count, invoke);

    public static ArmFunction Variadic(string name, int atLeast, Func<FunctionArguments, JsonNode?> invoke) => new(name, atLeast, Unbounded, invoke);
}
