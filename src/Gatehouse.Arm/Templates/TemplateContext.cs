using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Templates;

/// <summary>One iteration of an enclosing copy loop.</summary>
internal sealed record CopyFrame(string Name, long Index, bool IsPropertyLoop);

/// <summary>
/// The state expressions see while one template is expanded: bound parameters, variables, the enclosing copy loops and
/// the resources of the whole deployment (shared with nested inline templates) for reference().
/// </summary>
internal sealed class TemplateContext : IExpressionContext
{
    private readonly Dictionary<string, JsonNode?> _parameters;
    private readonly TemplateVariables _variables;
    private ImmutableStack<CopyFrame> _copies = [];

    private readonly ExpansionBudget _budget;

    /// <param name="outer">The context of the deployment this template is nested in, whose resources and budget it shares.</param>
    public TemplateContext(JsonObject template, DeploymentScope scope, ExpansionOptions? options = null, TemplateContext? outer = null)
    {
        RejectOverLimits(template);
        Template = template;
        Scope = scope;
        Options = options ?? ExpansionOptions.None;
        Resources = outer?.Resources ?? new DeploymentResources(Options);
        _budget = outer?._budget ?? new ExpansionBudget();
        Declarations = Values.Property(template, "parameters") as JsonObject ?? [];
        _parameters = new(StringComparer.OrdinalIgnoreCase);
        _variables = new TemplateVariables(Values.Property(template, "variables") as JsonObject);
        Evaluator = new ExpressionEvaluator(this);
    }

    private TemplateContext(TemplateContext outer, JsonObject template)
    {
        RejectOverLimits(template);
        (Template, Scope, Options, Resources, Declarations, _budget) = (template, outer.Scope, outer.Options, outer.Resources, outer.Declarations, outer._budget);
        NestingDepth = outer.NestingDepth + 1;
        (_parameters, _variables) = (outer._parameters, outer._variables);
        Evaluator = new ExpressionEvaluator(this);
    }

    /// <summary>ARM's limits on the sections of one template, nested ones included.</summary>
    private static void RejectOverLimits(JsonObject template)
    {
        var variables = Values.Property(template, "variables") as JsonObject ?? [];
        var loops = Values.Property(variables, "copy") as JsonArray;
        var sections = new (string Name, int Count, int Limit)[]
        {
            ("parameters", (Values.Property(template, "parameters") as JsonObject)?.Count ?? 0, TemplateLimits.MaxParameters),
            ("variables", variables.Count - (loops is null ? 0 : 1) + (loops?.Count ?? 0), TemplateLimits.MaxVariables),
            ("outputs", (Values.Property(template, "outputs") as JsonObject)?.Count ?? 0, TemplateLimits.MaxOutputs),
        };
        foreach (var (name, count, limit) in sections.Where(s => s.Count > s.Limit))
            throw new ArmException("InvalidTemplate",
                $"The number of template {name} limit exceeded. Limit: '{limit}' and actual: '{count}'. Please see https://aka.ms/arm-template-limits for usage details.", name);
    }

    /// <summary>A nested template evaluated in this template's scope, one level deeper: its resources and outputs see this template's parameters and variables.</summary>
    public TemplateContext WithTemplate(JsonObject template) => new(this, template);

    public DeploymentScope Scope { get; }

    /// <summary>How many nested deployments (inline or linked) this template is inside.</summary>
    public int NestingDepth { get; init; }

    public ExpansionOptions Options { get; }

    public JsonObject Template { get; }

    /// <summary>The parameters as bound, once they are (a template in its own scope).</summary>
    public IReadOnlyList<BoundParameter> BoundParameters { get; set; } = [];

    /// <summary>The template's "parameters" section.</summary>
    public JsonObject Declarations { get; }

    public ExpressionEvaluator Evaluator { get; }

    public DeploymentResources Resources { get; }

    public bool InParameterDefault { get; private set; }

    /// <summary>The copy loops around the current location, to evaluate a resource instance later in the same iteration.</summary>
    public ImmutableStack<CopyFrame> Copies => _copies;

    public void Bind(string name, JsonNode? value) => _parameters[name] = value;

    public JsonNode? Parameter(string name)
    {
        if (_parameters.TryGetValue(name, out var value)) return value;
        throw new ExpressionException(Values.TryGetProperty(Declarations, name, out _)
            ? $"The template parameter '{name}' is used before it is bound; a defaultValue can only use parameters declared before it."
            : $"The template parameter '{name}' is not found. Please see https://aka.ms/arm-syntax-parameters for usage details.");
    }

    /// <summary>Variables are evaluated outside any copy loop, so their cached value does not depend on where they are first used.</summary>
    public JsonNode? Variable(string name) => WithCopies([], () => _variables.Get(name, Evaluator));

    public long CopyIndex(string? loopName)
    {
        foreach (var frame in _copies)
        {
            if (loopName is null ? !frame.IsPropertyLoop : string.Equals(frame.Name, loopName, StringComparison.OrdinalIgnoreCase)) return frame.Index;
        }
        throw new ExpressionException(loopName is null
            ? "The template function 'copyIndex' is not expected at this location. It can only be used in a resource, variable, output or property with a copy loop."
            : $"The template function 'copyIndex' refers to the copy loop '{loopName}', which does not enclose this location.");
    }

    public T InCopy<T>(string loopName, long index, bool isPropertyLoop, Func<T> evaluate) =>
        WithCopies(_copies.Push(new CopyFrame(loopName, index, isPropertyLoop)), evaluate);

    /// <summary>Evaluates with exactly the given copy loops around, restoring the current ones afterwards.</summary>
    public T WithCopies<T>(ImmutableStack<CopyFrame> copies, Func<T> evaluate)
    {
        var saved = _copies;
        _copies = copies;
        try
        {
            return evaluate();
        }
        finally
        {
            _copies = saved;
        }
    }

    public T InDefaultValue<T>(Func<T> evaluate)
    {
        InParameterDefault = true;
        try
        {
            return evaluate();
        }
        finally
        {
            InParameterDefault = false;
        }
    }

    public JsonObject Reference(string resource, bool full) => Resources.Reference(resource, full);

    public JsonNode? List(string function, string resource, string apiVersion, JsonNode? body) => Resources.List(function, resource, apiVersion, body);

    public bool TryDefer(string path) => Resources.TryDefer(path);

    public void DependOn(string resource) => Resources.DependOn(resource);

    public void Charge(long size) => _budget.Charge(size);
}
