using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Errors;

namespace Gatehouse.Arm;

/// <summary>Merges az-style <c>--parameters</c> arguments, in order with later ones winning, into an ARM "parameters" object.</summary>
public static class ParameterArguments
{
    /// <param name="template">The template, whose declared types decide how NAME=VALUE values are read.</param>
    /// <param name="arguments">
    /// Each one a parameter file's text (deploymentParameters schema or a bare <c>{ name: { value } }</c> object),
    /// an inline JSON object, or NAME=VALUE.
    /// </param>
    public static JsonObject Merge(JsonObject template, IEnumerable<string> arguments)
    {
        var declarations = Values.Property(template, "parameters") as JsonObject ?? [];
        var merged = new JsonObject();
        foreach (var argument in arguments)
        {
            foreach (var (name, entry) in Entries(argument, declarations))
            {
                var declaredName = declarations.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
                foreach (var key in merged.Select(p => p.Key).Where(k => string.Equals(k, declaredName, StringComparison.OrdinalIgnoreCase)).ToList())
                    merged.Remove(key);
                merged[declaredName] = entry;
            }
        }
        return merged;
    }

    private static IEnumerable<(string Name, JsonNode? Entry)> Entries(string argument, JsonObject declarations)
    {
        var text = argument.Trim();
        if (text.StartsWith('{'))
        {
            if (Encoding.UTF8.GetByteCount(text) > TemplateLimits.MaxParameterFileBytes)
                throw new ArmException("RequestContentTooLarge",
                    $"The parameters file content size exceeds the maximum size of {TemplateLimits.MaxParameterFileBytes / (1024 * 1024)} MB.");
            var document = Jsonc.Parse(text) as JsonObject ?? throw new ArmException("InvalidTemplate", "A parameters argument must be a JSON object.");
            return ParametersOf(document).Select(p => (p.Key, p.Value?.DeepClone()));
        }
        var separator = argument.IndexOf('=');
        var name = separator > 0 ? argument[..separator].Trim() : "";
        if (name.Length == 0)
            throw new ArmException("InvalidTemplate", "A parameters argument must be a parameter file's content, a JSON object or NAME=VALUE.");
        var value = Coerce(name, argument[(separator + 1)..], Values.Property(declarations, name) as JsonObject);
        return [(name, new JsonObject { ["value"] = value })];
    }

    /// <summary>A deploymentParameters document wraps the entries in "parameters"; a bare object is the entries itself.</summary>
    internal static JsonObject ParametersOf(JsonObject document)
    {
        var isParameterFile = Values.Property(document, "$schema") is not null
            || Values.Property(document, "contentVersion") is not null
            || Values.Property(document, "parameters") is JsonObject wrapped && Values.Property(wrapped, "value") is null && Values.Property(wrapped, "reference") is null;
        return isParameterFile ? Values.Property(document, "parameters") as JsonObject ?? [] : document;
    }

    /// <summary>The value is read by the declared type: int, bool, object and array are parsed; strings are taken as-is.</summary>
    private static JsonNode? Coerce(string name, string value, JsonObject? declaration)
    {
        Values.TryGetString(Values.Property(declaration, "type"), out var type);
        return type.ToLowerInvariant() switch
        {
            "int" => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? integer : throw NotOfType(name, "an integer"),
            "bool" => bool.TryParse(value, out var boolean) ? boolean : throw NotOfType(name, "'true' or 'false'"),
            "object" or "secureobject" or "array" => ParseJson(name, value),
            _ => value,
        };
    }

    private static JsonNode ParseJson(string name, string value)
    {
        try
        {
            return Jsonc.Parse(value);
        }
        catch (ArmException e)
        {
            throw new ArmException("InvalidParameter", $"The value given for the parameter '{name}' is not valid JSON: {e.Message}", $"parameters.{name}");
        }
    }

    private static ArmException NotOfType(string name, string expected) =>
        new("InvalidParameter", $"The value given for the parameter '{name}' must be {expected}.", $"parameters.{name}");
}
