using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Gatehouse.Arm.Functions;

namespace Gatehouse.Arm.Expressions;

/// <summary>Evaluates syntax trees against a function table and the template context.</summary>
internal sealed class ExpressionEvaluator(IExpressionContext context, FunctionTable? functions = null)
{
    private readonly FunctionTable _functions = functions ?? FunctionTable.Default;
    private ImmutableDictionary<string, JsonNode?> _lambdaVariables = ImmutableDictionary.Create<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);

    public IExpressionContext Context { get; } = context;

    /// <summary>
    /// Evaluates a template string: <c>"[expr]"</c> is an expression, <c>"[[..."</c> is a literal with the first bracket
    /// removed, anything else is the literal string.
    /// </summary>
    public JsonNode? EvaluateTemplateString(string text)
    {
        if (text.StartsWith("[[", StringComparison.Ordinal)) return Charged(JsonValue.Create(text[1..]));
        if (text.Length < 2 || text[0] != '[' || text[^1] != ']') return Charged(JsonValue.Create(text));
        if (text.Length > TemplateLimits.MaxExpressionLength)
            throw new ExpressionException($"The template language expression is {text.Length} characters long, over the limit of '{TemplateLimits.MaxExpressionLength}' characters.");
        return Evaluate(Parser.Parse(text[1..^1]));
    }

    /// <summary>
    /// The resources that reference() and list* calls in a template string name, as far as their first argument can be
    /// evaluated now: a value deferred at its first reference() still depends on every resource it reads.
    /// </summary>
    public IReadOnlyList<string> ReferencedResources(string text)
    {
        var named = new List<string>();
        foreach (var call in Calls(Parser.Parse(text[1..^1])).Where(IsResourceRead))
        {
            try
            {
                if (Values.TryGetString(Evaluate(call.Arguments[0]), out var resource)) named.Add(resource);
            }
            catch (Exception e) when (e is ExpressionException or DeferredValueException)
            {
                // A name that is itself unknown yet (or inside a lambda) adds no dependency, as in ARM.
            }
        }
        return named;
    }

    private static bool IsResourceRead(FunctionCallExpression call) => call.Arguments.Count > 0
        && (call.Name.Equals("reference", StringComparison.OrdinalIgnoreCase) || call.Name.StartsWith("list", StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<FunctionCallExpression> Calls(Expression expression) => expression switch
    {
        FunctionCallExpression call => call.Arguments.SelectMany(Calls).Prepend(call),
        MemberAccessExpression access => Calls(access.Target),
        IndexAccessExpression access => Calls(access.Target).Concat(Calls(access.Index)),
        _ => [],
    };

    public JsonNode? Evaluate(Expression expression)
    {
        StackGuard.EnsureInExpression();
        return expression switch
        {
            LiteralExpression literal => Charged(literal.Value.DeepClone()),
            FunctionCallExpression call => Call(call),
            MemberAccessExpression access => Member(Evaluate(access.Target), access.Member),
            IndexAccessExpression access => Index(Evaluate(access.Target), Evaluate(access.Index)),
            _ => throw new ExpressionException($"The language expression node '{expression.GetType().Name}' is not supported."),
        };
    }

    /// <summary>The lambda's body with its parameters bound to <paramref name="values"/>; outer lambdas' variables stay visible.</summary>
    public JsonNode? Invoke(Lambda lambda, params JsonNode?[] values)
    {
        var saved = _lambdaVariables;
        _lambdaVariables = _lambdaVariables.SetItems(lambda.Parameters.Select((name, i) => KeyValuePair.Create(name, values[i])));
        try
        {
            return Values.Detach(Evaluate(lambda.Body));
        }
        finally
        {
            _lambdaVariables = saved;
        }
    }

    public JsonNode? LambdaVariable(string name) => _lambdaVariables.TryGetValue(name, out var value)
        ? value?.DeepClone()
        : throw new ExpressionException($"The lambda variable '{name}' is not defined here; lambdaVariables() can only name a parameter of an enclosing lambda.");

    private JsonNode? Call(FunctionCallExpression call)
    {
        var function = _functions.Find(call.Name)
            ?? throw new ExpressionException($"The template function '{call.Name}' is not valid. Please see https://aka.ms/arm-functions for usage details.");
        var count = call.Arguments.Count;
        if (count < function.MinArguments || count > function.MaxArguments)
            throw new ExpressionException(
                $"Unable to evaluate template language function '{function.Name}': function requires {DescribeArity(function)} argument(s) while {count} were provided.");
        var result = function.Invoke(new FunctionArguments(function.Name, call.Arguments, this));
        var (size, depth) = Values.Measure(result, TemplateLimits.MaxValueSize);
        if (size > TemplateLimits.MaxValueSize)
            throw new ExpressionException($"The template function '{function.Name}' produced a value larger than the limit of {TemplateLimits.MaxValueSize} characters.");
        if (depth > TemplateLimits.MaxValueDepth)
            throw new ExpressionException($"The template function '{function.Name}' produced a value nested more than {TemplateLimits.MaxValueDepth} levels deep.");
        Context.Charge(size);
        return result;
    }

    private JsonNode? Charged(JsonNode? value)
    {
        Context.Charge(Values.Measure(value, long.MaxValue).Size);
        return value;
    }

    private static string DescribeArity(ArmFunction function) =>
        function.MinArguments == function.MaxArguments ? $"{function.MinArguments}"
        : function.MaxArguments == ArmFunction.Unbounded ? $"at least {function.MinArguments}"
        : $"{function.MinArguments} to {function.MaxArguments}";

    private static JsonNode? Member(JsonNode? target, string member)
    {
        if (target is not JsonObject obj)
            throw new ExpressionException($"The language expression property '{member}' can't be evaluated, the value is of type '{Values.Describe(Values.KindOf(target))}' and not an object.");
        return Values.TryGetProperty(obj, member, out var value)
            ? value
            : throw new ExpressionException($"The language expression property '{member}' doesn't exist, available properties are '{string.Join(", ", obj.Select(p => p.Key))}'."
                + (ResourceStates.TypeOf(obj) is { } type
                    ? $" The object is reference()'s state of a resource of type '{type}': what its template declares, and what the provider here computes for that type, which does not include '{member}'."
                    : ""));
    }

    private static JsonNode? Index(JsonNode? target, JsonNode? index)
    {
        if (Values.TryGetString(index, out var name)) return Member(target, name);
        if (!Values.TryGetInteger(index, out var position))
            throw new ExpressionException($"The language expression index must be an integer or a string, not '{Values.Describe(Values.KindOf(index))}'.");
        if (target is not JsonArray array)
            throw new ExpressionException($"The language expression index '{position}' can't be applied to a value of type '{Values.Describe(Values.KindOf(target))}'.");
        return position >= 0 && position < array.Count
            ? array[(int)position]
            : throw new ExpressionException($"The language expression property array index '{position}' is out of bounds.");
    }
}
