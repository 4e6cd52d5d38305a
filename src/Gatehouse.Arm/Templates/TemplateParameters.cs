using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.Arm.Expressions;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Templates;

/// <summary>
/// Binds the supplied deployment parameters to the template's declarations: undeclared names, placeholders left in a
/// parameter file, missing values, wrong types and constraint violations are refused. Messages never show secure values.
/// </summary>
internal static partial class TemplateParameters
{
    private static readonly Dictionary<string, string> CanonicalTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["string"] = "string", ["int"] = "int", ["bool"] = "bool", ["object"] = "object",
        ["array"] = "array", ["securestring"] = "securestring", ["secureObject"] = "secureObject",
    };

    [GeneratedRegex("^<[^<>]+>$")]
    private static partial Regex Placeholder();

    public static IReadOnlyList<BoundParameter> Bind(TemplateContext context, JsonObject? supplied)
    {
        var declarations = context.Declarations;
        var fromKeyVault = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var values = SuppliedValues(supplied, context.Options.ResolveKeyVaultReference, fromKeyVault);
        RejectUndeclared(declarations, values.Keys);
        RejectPlaceholders(declarations, values);

        RejectMissing(declarations, values);

        var bound = new List<BoundParameter>();
        foreach (var (name, node) in declarations)
        {
            var declaration = node as JsonObject ?? throw Invalid(name, $"The template parameter '{name}' must be an object with a 'type'.");
            var type = CanonicalType(name, declaration, context.Template);
            // A value read from Key Vault is a secret whatever the parameter's type: never shown in the deployment's parameters.
            var isSecure = type is "securestring" or "secureObject" || fromKeyVault.Contains(name);
            var value = values.TryGetValue(name, out var given)
                ? given?.DeepClone()
                : context.InDefaultValue(() => TemplateValues.Evaluate(Values.Property(declaration, "defaultValue"), $"parameters.{name}.defaultValue", context.Evaluator));
            if (value is not null || !IsNullable(declaration)) ParameterConstraints.Check(name, type, isSecure, declaration, value);
            context.Bind(name, value);
            bound.Add(new BoundParameter(name, type, value?.DeepClone(), isSecure));
        }
        return bound;
    }

    /// <summary>name → value of the ARM "parameters" object; an entry with a Key Vault "reference" is read through <paramref name="keyVault"/>.</summary>
    private static Dictionary<string, JsonNode?> SuppliedValues(JsonObject? supplied, Func<KeyVaultParameterReference, string>? keyVault, HashSet<string> fromKeyVault)
    {
        var values = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, entry) in supplied ?? [])
        {
            if (entry is JsonObject obj && Values.TryGetProperty(obj, "value", out var value)) values[name] = value;
            else if (entry is JsonObject withReference && Values.TryGetProperty(withReference, "reference", out var reference) && fromKeyVault.Add(name))
                values[name] = JsonValue.Create(keyVault is null
                    ? throw Invalid(name, $"The template parameter '{name}' takes its value from a Key Vault reference, which this deployment cannot read; supply the value instead.")
                    : keyVault(KeyVaultReference(name, reference)));
            else throw Invalid(name, $"The template parameter '{name}' must be supplied as an object with a 'value'.");
        }
        return values;
    }

    private static KeyVaultParameterReference KeyVaultReference(string name, JsonNode? reference)
    {
        var vaultId = reference is JsonObject r && Values.Property(r, "keyVault") is JsonObject vault && Values.Property(vault, "id") is JsonValue id
            && Values.TryGetString(id, out var text) ? text : null;
        var secret = reference is JsonObject s && Values.Property(s, "secretName") is JsonValue secretName && Values.TryGetString(secretName, out var secretText) ? secretText : null;
        if (vaultId is null || secret is null)
            throw Invalid(name, $"The Key Vault reference of the template parameter '{name}' must give keyVault.id and secretName.");
        var version = Values.Property((JsonObject)reference!, "secretVersion") is JsonValue v && Values.TryGetString(v, out var versionText) ? versionText : null;
        return new KeyVaultParameterReference(name, vaultId, secret, version);
    }

    /// <summary>Checked before any defaultValue is evaluated, as a default may use the missing parameter.</summary>
    private static void RejectMissing(JsonObject declarations, Dictionary<string, JsonNode?> values)
    {
        var missing = declarations
            .Where(p => !values.ContainsKey(p.Key) && !(p.Value is JsonObject declaration && (Values.TryGetProperty(declaration, "defaultValue", out _) || IsNullable(declaration))))
            .Select(p => p.Key).ToList();
        if (missing.Count > 0)
            throw Aggregate("InvalidTemplate", missing.Select(name =>
                new ArmError("InvalidTemplate", $"The value for the template parameter '{name}' is not provided.", $"parameters.{name}")).ToList(),
                $"The values for the template parameters {Quoted(missing)} are not provided.");
    }

    private static void RejectUndeclared(JsonObject declarations, IEnumerable<string> suppliedNames)
    {
        var undeclared = suppliedNames.Where(name => !Values.TryGetProperty(declarations, name, out _)).ToList();
        if (undeclared.Count == 0) return;
        throw new ArmException("InvalidTemplate",
            $"The template parameters '{string.Join(", ", undeclared)}' in the parameters file are not valid; they are not present in the original template " +
            $"and can therefore not be provided at deployment time. The only supported parameters for this template are '{string.Join(", ", declarations.Select(p => p.Key))}'.");
    }

    /// <summary>All placeholders are reported together so the parameter file can be fixed in one go.</summary>
    private static void RejectPlaceholders(JsonObject declarations, Dictionary<string, JsonNode?> values)
    {
        var errors = new List<ArmError>();
        foreach (var (name, node) in declarations)
        {
            if (!values.TryGetValue(name, out var value) || !Values.TryGetString(value, out var text) || !Placeholder().IsMatch(text)) continue;
            var isSecure = node is JsonObject declaration && IsSecureType(Values.Property(declaration, "type"));
            var shown = isSecure ? "a placeholder" : $"the placeholder '{text}'";
            errors.Add(new ArmError("InvalidParameter",
                $"The parameter '{name}' still holds {shown} from the parameter file; supply a real value.", $"parameters.{name}"));
        }
        if (errors.Count > 0)
            throw Aggregate("InvalidParameter", errors,
                $"The parameters {Quoted(errors.Select(e => e.Target!["parameters.".Length..]))} still hold placeholders from the parameter file; supply real values.");
    }

    private static bool IsSecureType(JsonNode? type) =>
        Values.TryGetString(type, out var text) && CanonicalTypes.GetValueOrDefault(text) is "securestring" or "secureObject";

    /// <summary>languageVersion 2.0: a parameter declared <c>nullable</c> may be left out, and is then null.</summary>
    private static bool IsNullable(JsonObject declaration) =>
        Values.TryGetBoolean(Values.Property(declaration, "nullable"), out var nullable) && nullable;

    /// <summary>The declared type, or in languageVersion 2.0 the type of the user-defined type its <c>$ref</c> points at (<c>#/definitions/name</c>).</summary>
    private static string CanonicalType(string name, JsonObject declaration, JsonObject template)
    {
        for (var current = declaration; current is not null; current = Definition(current, template))
        {
            if (Values.TryGetString(Values.Property(current, "type"), out var type) && CanonicalTypes.TryGetValue(type, out var canonical)) return canonical;
        }
        throw Invalid(name, $"The template parameter '{name}' has no valid 'type'; expected one of '{string.Join(", ", CanonicalTypes.Values)}'.");
    }

    private static JsonObject? Definition(JsonObject declaration, JsonObject template) =>
        Values.TryGetString(Values.Property(declaration, "$ref"), out var reference) && reference.StartsWith("#/definitions/", StringComparison.Ordinal)
            ? Values.Property(Values.Property(template, "definitions") as JsonObject, reference["#/definitions/".Length..]) as JsonObject
            : null;

    /// <summary>One error as itself; several as one error whose details list each.</summary>
    private static ArmException Aggregate(string code, IReadOnlyList<ArmError> errors, string summary) =>
        new(errors.Count == 1 ? errors[0] : new ArmError(code, summary, "parameters", errors));

    private static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static ArmException Invalid(string name, string message) => new("InvalidTemplate", message, $"parameters.{name}");
}
