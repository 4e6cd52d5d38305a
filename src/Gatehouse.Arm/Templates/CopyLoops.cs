using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Templates;

/// <summary>What resource, property, variable and output copy loops share: the count and evaluating an input once per index.</summary>
internal static class CopyLoops
{
    public static int Count(JsonObject copy, string copyPath, ExpressionEvaluator evaluator)
    {
        var countPath = TemplateValues.Child(copyPath, "count");
        return Values.TryGetInteger(TemplateValues.Evaluate(Values.Property(copy, "count"), countPath, evaluator), out var count) && count is >= 0 and <= TemplateLimits.MaxCopyCount
            ? (int)count
            : throw new ArmException("InvalidTemplate",
                $"The template 'copy' definition at '{copyPath}' has an invalid copy count. The copy count must be a non-negative integer value and cannot exceed '{TemplateLimits.MaxCopyCount}'. " +
                "Please see https://aka.ms/arm-copy for usage details.", countPath);
    }

    public static string Name(JsonObject copy, string copyPath, ExpressionEvaluator evaluator) =>
        TemplateValues.EvaluateText(Values.Property(copy, "name"), TemplateValues.Child(copyPath, "name"), evaluator);

    /// <summary>The copy's "input" evaluated once per index into an array; <paramref name="name"/> is null for an output loop, which has none.</summary>
    public static JsonArray Inputs(JsonObject copy, string copyPath, string? name, bool isPropertyLoop, ExpressionEvaluator evaluator)
    {
        var input = Values.Property(copy, "input");
        var inputPath = TemplateValues.Child(copyPath, "input");
        var count = Count(copy, copyPath, evaluator);
        return new JsonArray(Enumerable.Range(0, count)
            .Select(index => evaluator.Context.InCopy(name ?? "", index, isPropertyLoop, () => TemplateValues.Evaluate(input, inputPath, evaluator)))
            .ToArray());
    }
}
