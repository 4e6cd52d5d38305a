using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Templates;

/// <summary>
/// The template's variables, evaluated on first use and cached, so they may refer to each other in any declaration
/// order; a variable that needs itself (directly or through others) is reported with the whole cycle. The entries of a
/// "copy" array are variables too: each is the array of its input evaluated count times.
/// </summary>
internal sealed class TemplateVariables(JsonObject? declarations)
{
    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _evaluating = [];

    public JsonNode? Get(string name, ExpressionEvaluator evaluator)
    {
        if (_values.TryGetValue(name, out var cached)) return cached;
        StackGuard.EnsureInExpression();
        var declaration = Declaration(name)
            ?? throw new ExpressionException($"The template variable '{name}' is not found. Please see https://aka.ms/arm-syntax-variables for usage details.");

        var cycleStart = _evaluating.FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        if (cycleStart >= 0)
        {
            var cycle = string.Join(" -> ", _evaluating[cycleStart..].Append(name).Select(n => $"'{n}'"));
            throw new ArmException("InvalidTemplate", $"The template variables have a circular reference: {cycle}.", $"variables.{_evaluating[cycleStart]}");
        }

        _evaluating.Add(name);
        try
        {
            return _values[name] = declaration.Loop is { } loop
                ? CopyLoops.Inputs(loop, declaration.Path, name, isPropertyLoop: false, evaluator)
                : TemplateValues.Evaluate(declaration.Value, declaration.Path, evaluator);
        }
        finally
        {
            _evaluating.RemoveAt(_evaluating.Count - 1);
        }
    }

    private sealed record VariableDeclaration(JsonNode? Value, JsonObject? Loop, string Path);

    private VariableDeclaration? Declaration(string name)
    {
        if (declarations is null) return null;
        if (!string.Equals(name, "copy", StringComparison.OrdinalIgnoreCase) && Values.TryGetProperty(declarations, name, out var value))
            return new VariableDeclaration(value, null, $"variables.{name}");
        var loops = Values.Property(declarations, "copy") as JsonArray ?? [];
        for (var i = 0; i < loops.Count; i++)
        {
            if (loops[i] is JsonObject loop && Values.Property(loop, "name") is { } loopName && string.Equals(Values.ToText(loopName), name, StringComparison.OrdinalIgnoreCase))
                return new VariableDeclaration(null, loop, $"variables.copy[{i}]");
        }
        return null;
    }
}
