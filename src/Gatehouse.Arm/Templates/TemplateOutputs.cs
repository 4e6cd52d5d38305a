using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Templates;

/// <summary>Evaluates the "outputs" section into name → { type, value }, skipping outputs whose condition is false; an output "copy" gives an array.</summary>
internal static class TemplateOutputs
{
    public static JsonObject Evaluate(TemplateContext context)
    {
        var outputs = new JsonObject();
        foreach (var (name, node) in Values.Property(context.Template, "outputs") as JsonObject ?? [])
        {
            var path = $"outputs.{name}";
            var output = node as JsonObject ?? throw new ArmException("InvalidTemplate", $"The template output '{name}' must be an object.", path);
            if (!TemplateValues.EvaluateCondition(output, path, context.Evaluator)) continue;
            outputs[name] = new JsonObject
            {
                ["type"] = TemplateValues.EvaluateText(Values.Property(output, "type"), $"{path}.type", context.Evaluator),
                ["value"] = context.Resources.Deferrable(() => Values.Property(output, "copy") is JsonObject copy
                    ? CopyLoops.Inputs(copy, $"{path}.copy", name: null, isPropertyLoop: false, context.Evaluator)
                    : TemplateValues.Evaluate(Values.Property(output, "value"), $"{path}.value", context.Evaluator)),
            };
        }
        return outputs;
    }
}
