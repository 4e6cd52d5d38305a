using System.Runtime.CompilerServices;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Expressions;

/// <summary>
/// Every recursion over a template (parsing, evaluating, variables, nested deployments) asks here before going deeper:
/// a stack overflow cannot be caught and ends the whole process, listeners and management API with it, so a template
/// that nests deeper than the stack allows is refused instead. Deep recursion on a thread-pool thread (1.5 MB of stack)
/// reaches this well before <see cref="TemplateLimits"/>' limits would stop it.
/// </summary>
internal static class StackGuard
{
    private const string TooDeep = "The template nests expressions, variables or deployments too deeply to be evaluated.";

    /// <summary>Inside an expression: the template walker adds where the expression is.</summary>
    public static void EnsureInExpression()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw new ExpressionException(TooDeep);
    }

    public static void EnsureAt(string path)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw new ArmException("InvalidTemplate", $"{TooDeep[..^1]} (at '{path}').", path);
    }
}
