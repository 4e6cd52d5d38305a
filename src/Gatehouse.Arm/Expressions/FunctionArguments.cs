using System.Text.Json.Nodes;

namespace Gatehouse.Arm.Expressions;

/// <summary>
/// The arguments of one call, evaluated on first use so that <c>if</c>, <c>coalesce</c>, <c>and</c> and <c>or</c>
/// only evaluate the branches they need. The typed accessors raise ARM's "wrong type" error naming the function.
/// </summary>
internal sealed class FunctionArguments(string function, IReadOnlyList<Expression> expressions, ExpressionEvaluator evaluator)
{
    private readonly JsonNode?[] _values = new JsonNode?[expressions.Count];
    private readonly bool[] _evaluated = new bool[expressions.Count];

    public string Function { get; } = function;

    public int Count => expressions.Count;

    public IExpressionContext Context => evaluator.Context;

    public JsonNode? this[int index]
    {
        get
        {
            if (!_evaluated[index])
            {
                _values[index] = evaluator.Evaluate(expressions[index]);
                _evaluated[index] = true;
            }
            return _values[index];
        }
    }

    public IEnumerable<JsonNode?> All => Enumerable.Range(0, Count).Select(i => this[i]);

    public ValueKind KindOf(int index) => Values.KindOf(this[index]);

    public string String(int index) => Values.TryGetString(this[index], out var text) ? text : throw WrongType(index, ValueKind.String);

    public long Integer(int index) => Values.TryGetInteger(this[index], out var integer) ? integer : throw WrongType(index, ValueKind.Integer);

    public bool Boolean(int index) => Values.TryGetBoolean(this[index], out var boolean) ? boolean : throw WrongType(index, ValueKind.Boolean);

    public JsonArray Array(int index) => this[index] as JsonArray ?? throw WrongType(index, ValueKind.Array);

    public JsonObject Object(int index) => this[index] as JsonObject ?? throw WrongType(index, ValueKind.Object);

    /// <summary>The argument as a <c>lambda(...)</c> taking <paramref name="minimum"/> to <paramref name="maximum"/> parameters; it is not evaluated.</summary>
    public Lambda Lambda(int index, int minimum, int maximum)
    {
        if (expressions[index] is not FunctionCallExpression { Arguments.Count: > 0 } call || !string.Equals(call.Name, "lambda", StringComparison.OrdinalIgnoreCase))
            throw Error($"the argument at position {index + 1} must be a lambda expression.");
        var parameters = call.Arguments.SkipLast(1)
            .Select(parameter => Values.TryGetString(evaluator.Evaluate(parameter), out var name) ? name : throw Error("lambda parameter names must be strings."))
            .ToList();
        if (parameters.Count < minimum || parameters.Count > maximum)
            throw Error($"the lambda must take {(minimum == maximum ? $"{minimum}" : $"{minimum} to {maximum}")} parameter(s), not {parameters.Count}.");
        return new Lambda(parameters, call.Arguments[^1]);
    }

    /// <summary>Calls a lambda with as many of <paramref name="values"/> as it declares parameters (an index is optional for most).</summary>
    public JsonNode? Invoke(Lambda lambda, params JsonNode?[] values) => evaluator.Invoke(lambda, values[..lambda.Parameters.Count]);

    public JsonNode? LambdaVariable(string name) => evaluator.LambdaVariable(name);

    public ExpressionException WrongType(int index, params ValueKind[] expected) => Error(
        $"the argument at position {index + 1} must be of type '{string.Join("' or '", expected.Select(Values.Describe))}' " +
        $"but is of type '{Values.Describe(KindOf(index))}'.");

    /// <summary>An error in ARM's "Unable to evaluate template language function" form.</summary>
    public ExpressionException Error(string problem) =>
        new($"Unable to evaluate template language function '{Function}': {problem}");
}
