using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Templates;

/// <summary>The state expressions see while one template is expanded: bound parameters, variables, the current copy loop.</summary>
internal sealed class TemplateContext : IExpressionContext
{
    private readonly Dictionary<string, JsonNode?> _parameters = new(StringComparer.OrdinalIgnoreCase);
    private readonly TemplateVariables _variables;
    private (string Name, long Index)? _copy;

    public TemplateContext(JsonObject template, DeploymentScope scope)
    {
        Template = template;
        Scope = scope;
        Declarations = Values.Property(template, "parameters") as JsonObject ?? [];
        var variables = Values.Property(template, "variables") as JsonObject;
        TemplateVariables.RejectUnsupported(variables);
        _variables = new TemplateVariables(variables);
        Evaluator = new ExpressionEvaluator(this);
    }

    public DeploymentScope Scope { get; }

    public JsonObject Template { get; }

    /// <summary>The template's "parameters" section.</summary>
    public JsonObject Declarations { get; }

    public ExpressionEvaluator Evaluator { get; }

    public void Bind(string name, JsonNode? value) => _parameters[name] = value;

    public JsonNode? Parameter(string name)
    {
        if (_parameters.TryGetValue(name, out var value)) return value;
        throw new ExpressionException(Values.TryGetProperty(Declarations, name, out _)
            ? $"The template parameter '{name}' is used before it is bound; a defaultValue can only use parameters declared before it."
            : $"The template parameter '{name}' is not found. Please see https://aka.ms/arm-syntax-parameters for usage details.");
    }

    public JsonNode? Variable(string name) => _variables.Get(name, Evaluator);

    public long CopyIndex(string? loopName) => _copy switch
    {
        null => throw new ExpressionException("The template function 'copyIndex' is not expected at this location. It can only be used in a resource with a copy loop."),
        var (name, index) when loopName is null || string.Equals(name, loopName, StringComparison.OrdinalIgnoreCase) => index,
        _ => throw new ExpressionException($"The template function 'copyIndex' refers to the copy loop '{loopName}', which does not enclose this location."),
    };

    /// <summary>Evaluates <paramref name="evaluate"/> as iteration <paramref name="index"/> of the named resource copy loop.</summary>
    public T InCopy<T>(string loopName, long index, Func<T> evaluate)
    {
        _copy = (loopName, index);
        try
        {
            return evaluate();
        }
        finally
        {
            _copy = null;
        }
    }
}
