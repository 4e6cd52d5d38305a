using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Templates;

/// <summary>
/// The template's variables, evaluated on first use and cached, so they may refer to each other in any declaration
/// order; a variable that needs itself (directly or through others) is reported with the whole cycle.
/// </summary>
internal sealed class TemplateVariables(JsonObject? declarations)
{
    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _evaluating = [];

    public JsonNode? Get(string name, ExpressionEvaluator evaluator)
    {
        if (_values.TryGetValue(name, out var cached)) return cached;
        if (declarations is null || !Values.TryGetProperty(declarations, name, out var declaration))
            throw new ExpressionException($"The template variable '{name}' is not found. Please see https://aka.ms/arm-syntax-variables for usage details.");

        var cycleStart = _evaluating.FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        if (cycleStart >= 0)
        {
            var cycle = string.Join(" -> ", _evaluating[cycleStart..].Append(name).Select(n => $"'{n}'"));
            throw new ArmException("InvalidTemplate", $"The template variables have a circular reference: {cycle}.", $"variables.{_evaluating[cycleStart]}");
        }

        _evaluating.Add(name);
        try
        {
            return _values[name] = TemplateValues.Evaluate(declaration, $"variables.{name}", evaluator);
        }
        finally
        {
            _evaluating.RemoveAt(_evaluating.Count - 1);
        }
    }

    /// <summary>Variable copy loops are not implemented; refuse them rather than treat "copy" as a plain variable.</summary>
    public static void RejectUnsupported(JsonObject? declarations)
    {
        if (declarations is not null && Values.TryGetProperty(declarations, "copy", out var copy) && copy is JsonArray)
            throw new ArmException("InvalidTemplate", "Variable copy loops ('variables.copy') are not supported yet.", "variables.copy");
    }
}
