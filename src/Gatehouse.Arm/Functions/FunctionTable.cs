using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Functions;

/// <summary>The template functions by name, case-insensitively, as ARM matches them.</summary>
internal sealed class FunctionTable
{
    private readonly Dictionary<string, ArmFunction> _functions = new(StringComparer.OrdinalIgnoreCase);

    public FunctionTable(IEnumerable<ArmFunction> functions)
    {
        foreach (var function in functions) _functions.Add(function.Name, function);
    }

    public static FunctionTable Default { get; } = new(
        DeploymentFunctions.All
            .Concat(ResourceFunctions.All)
            .Concat(StringFunctions.All)
            .Concat(CollectionFunctions.All)
            .Concat(LogicalFunctions.All)
            .Concat(NumericFunctions.All)
            .Concat(ObjectFunctions.All)
            .Concat(LambdaFunctions.All)
            .Concat(DateFunctions.All)
            .Concat(CidrFunctions.All));

    public ArmFunction? Find(string name) =>
        _functions.GetValueOrDefault(name) ?? (name.StartsWith("list", StringComparison.OrdinalIgnoreCase) ? ResourceFunctions.List(name) : null);
}
