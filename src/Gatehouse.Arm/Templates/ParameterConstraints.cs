using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Templates;

/// <summary>A bound parameter value against its declaration: type, allowedValues, minValue/maxValue, minLength/maxLength.</summary>
internal static class ParameterConstraints
{
    private static readonly Dictionary<string, ValueKind> KindOfType = new()
    {
        ["string"] = ValueKind.String, ["securestring"] = ValueKind.String, ["int"] = ValueKind.Integer, ["bool"] = ValueKind.Boolean,
        ["object"] = ValueKind.Object, ["secureObject"] = ValueKind.Object, ["array"] = ValueKind.Array,
    };

    public static void Check(string name, string type, bool isSecure, JsonObject declaration, JsonNode? value)
    {
        var kind = Values.KindOf(value);
        if (kind != KindOfType[type])
            throw Invalid(name, $"Expected a value of type '{type}', but received a value of type '{Values.Describe(kind)}'.");
        CheckAllowedValues(name, isSecure, declaration, value);
        if (kind == ValueKind.Integer) CheckRange(name, declaration, "minValue", "maxValue", value!.GetValue<long>(), "value");
        var length = value switch { JsonArray array => array.Count, _ when kind == ValueKind.String => value!.GetValue<string>().Length, _ => (long?)null };
        if (length is { } actual) CheckRange(name, declaration, "minLength", "maxLength", actual, "length");
    }

    /// <summary>An array value must consist of allowed values; any other value must be one.</summary>
    private static void CheckAllowedValues(string name, bool isSecure, JsonObject declaration, JsonNode? value)
    {
        if (Values.Property(declaration, "allowedValues") is not JsonArray allowed) return;
        var candidates = value is JsonArray items && !allowed.Any(a => a is JsonArray) ? items.ToList() : [value];
        if (candidates.All(candidate => allowed.Any(a => Values.DeepEquals(a, candidate)))) return;
        var shown = isSecure ? "" : $" '{Values.ToText(value)}'";
        throw Invalid(name, $"The value{shown} is not part of the allowed values: '{string.Join(", ", allowed.Select(Values.ToText))}'.");
    }

    private static void CheckRange(string name, JsonObject declaration, string minimumKey, string maximumKey, long actual, string what)
    {
        if (Values.TryGetInteger(Values.Property(declaration, minimumKey), out var minimum) && actual < minimum)
            throw Invalid(name, $"The {what} {actual} is less than the {minimumKey} {minimum}.");
        if (Values.TryGetInteger(Values.Property(declaration, maximumKey), out var maximum) && actual > maximum)
            throw Invalid(name, $"The {what} {actual} is greater than the {maximumKey} {maximum}.");
    }

    private static ArmException Invalid(string name, string problem) =>
        new("InvalidTemplate", $"The provided value for the template parameter '{name}' is not valid. {problem}", $"parameters.{name}");
}
