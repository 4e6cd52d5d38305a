using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Templates;

/// <summary>
/// Evaluates a piece of template JSON into a new tree: every string is a template string, containers are rebuilt.
/// Expression errors become <see cref="ArmException"/>s naming the template path, e.g. <c>resources[2].properties.x</c>.
/// </summary>
internal static class TemplateValues
{
    private static readonly IReadOnlySet<string> NoKeys = new HashSet<string>();

    /// <remarks>Each node built here counts against the deployment's <see cref="TemplateLimits.MaxExpansionSize"/>; strings are counted where they are evaluated.</remarks>
    public static JsonNode? Evaluate(JsonNode? node, string path, ExpressionEvaluator evaluator)
    {
        StackGuard.EnsureAt(path);
        if (node is JsonValue value && Values.TryGetString(value, out var text)) return EvaluateString(text, path, evaluator, value);
        evaluator.Context.Charge(Values.NodeCost);
        return node switch
        {
            JsonObject obj => EvaluateObject(obj, path, evaluator, NoKeys),
            JsonArray array => new JsonArray(array.Select((item, i) => Evaluate(item, Index(path, i), evaluator)).ToArray()),
            _ => node?.DeepClone(),
        };
    }

    /// <summary>
    /// An object with every property evaluated except those named in <paramref name="except"/> (ignoring case). A "copy"
    /// array of <c>{ name, count, input }</c> is a property copy loop: it adds one array property per entry.
    /// </summary>
    public static JsonObject EvaluateObject(JsonObject obj, string path, ExpressionEvaluator evaluator, IReadOnlySet<string> except)
    {
        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (except.Contains(key)) continue;
            if (IsPropertyCopy(key, value)) AddPropertyCopies(result, (JsonArray)value!, Child(path, key), evaluator);
            else result[EvaluateKey(key, path, evaluator)] = Evaluate(value, Child(path, key), evaluator);
        }
        return result;
    }

    /// <summary>
    /// A property name may be an expression, as ARM evaluates it: a user-assigned identity is keyed by
    /// <c>[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', ...)]</c>. Its value must be a string.
    /// </summary>
    private static string EvaluateKey(string key, string path, ExpressionEvaluator evaluator)
    {
        if (!key.StartsWith('[')) return key;
        return EvaluateString(key, Child(path, key), evaluator) is JsonValue value && Values.TryGetString(value, out var name)
            ? name
            : throw new ArmException("InvalidTemplate", $"The property name '{key}' at '{path}' must evaluate to a string.", path);
    }

    private static bool IsPropertyCopy(string key, JsonNode? value) =>
        string.Equals(key, "copy", StringComparison.OrdinalIgnoreCase) && value is JsonArray loops && loops.All(l => l is JsonObject loop && Values.TryGetProperty(loop, "input", out _));

    private static void AddPropertyCopies(JsonObject result, JsonArray loops, string copyPath, ExpressionEvaluator evaluator)
    {
        for (var i = 0; i < loops.Count; i++)
        {
            var loopPath = Index(copyPath, i);
            var loop = (JsonObject)loops[i]!;
            var name = CopyLoops.Name(loop, loopPath, evaluator);
            result[name] = CopyLoops.Inputs(loop, loopPath, name, isPropertyLoop: true, evaluator);
        }
    }

    /// <summary>
    /// The value of a template string; one that reads what is known only after deployment keeps its text where
    /// <see cref="IExpressionContext.TryDefer"/> allows it.
    /// </summary>
    /// <param name="source">The template node holding the text, whose line and column the error names when it was parsed by <see cref="Jsonc"/>.</param>
    public static JsonNode? EvaluateString(string text, string path, ExpressionEvaluator evaluator, JsonNode? source = null)
    {
        try
        {
            return Values.Detach(evaluator.EvaluateTemplateString(text));
        }
        catch (DeferredValueException) when (evaluator.Context.TryDefer(path))
        {
            foreach (var resource in evaluator.ReferencedResources(text)) evaluator.Context.DependOn(resource);
            return JsonValue.Create(text);
        }
        catch (Exception e) when (e is ExpressionException or DeferredValueException)
        {
            var position = source is null ? null : Jsonc.PositionOf(source);
            var where = position is var (line, column) ? $"'{path}' (line {line}, column {column})" : $"'{path}'";
            // An expression over the length limit is not echoed whole: it may be most of a 4 MB template.
            var shown = text.Length <= TemplateLimits.MaxExpressionLength ? text : $"{text[..100]}...";
            throw new ArmException("InvalidTemplate", $"The template language expression '{shown}' at {where} is not valid: {e.Message}", path);
        }
    }

    /// <summary>Evaluates and requires a string, for the keys ARM insists are strings (type, name, apiVersion, ...).</summary>
    public static string EvaluateText(JsonNode? node, string path, ExpressionEvaluator evaluator) =>
        Values.TryGetString(Evaluate(node, path, evaluator), out var text)
            ? text
            : throw new ArmException("InvalidTemplate", $"The template property '{path}' must be a string.", path);

    /// <summary>Evaluates a <c>condition</c>: absent means true.</summary>
    public static bool EvaluateCondition(JsonObject owner, string path, ExpressionEvaluator evaluator)
    {
        if (!Values.TryGetProperty(owner, "condition", out var condition)) return true;
        var conditionPath = Child(path, "condition");
        return Values.TryGetBoolean(Evaluate(condition, conditionPath, evaluator), out var deploy)
            ? deploy
            : throw new ArmException("InvalidTemplate", $"The template property '{conditionPath}' must evaluate to a boolean.", conditionPath);
    }

    public static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Index(string path, int index) => $"{path}[{index}]";
}
