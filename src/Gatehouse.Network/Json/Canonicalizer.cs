using System.Text.Json.Nodes;
using Gatehouse.Errors;

namespace Gatehouse.Network.Json;

/// <summary>
/// Rewrites input of any casing into the specification's spelling: property names from <see cref="CanonicalNames"/>
/// and enumeration values from <see cref="CanonicalEnums"/>. Names it does not know are kept as given.
/// </summary>
internal static class Canonicalizer
{
    // Keys below these are the user's own data (tag names, identity resource ids), never property names.
    private static readonly HashSet<string> UserKeyed = new(StringComparer.OrdinalIgnoreCase) { "tags", "userAssignedIdentities", "metadata" };

    /// <param name="enumerations">
    /// Whether to check and respell <see cref="CanonicalEnums"/> values. They are the gateway's; other types use the
    /// same property names for other values (a security rule's <c>protocol</c> is <c>*</c>).
    /// </param>
    /// <param name="errors">Where a property given twice or an unknown enumeration value is reported.</param>
    public static JsonObject Canonicalize(JsonObject input, string path, bool enumerations, ArmErrorList errors) =>
        (JsonObject)Canonicalize(input, path, renameKeys: true, enumerations, errors)!;

    private static JsonNode? Canonicalize(JsonNode? node, string path, bool renameKeys, bool enumerations, ArmErrorList errors) => node switch
    {
        JsonObject obj => CanonicalizeObject(obj, path, renameKeys, enumerations, errors),
        JsonArray array => new JsonArray(array.Select((item, i) => Canonicalize(item, $"{path}[{i}]", renameKeys, enumerations, errors)).ToArray()),
        _ => node?.DeepClone(),
    };

    private static JsonObject CanonicalizeObject(JsonObject input, string path, bool renameKeys, bool enumerations, ArmErrorList errors)
    {
        var output = new JsonObject();
        foreach (var (key, value) in input)
        {
            var name = renameKeys && CanonicalNames.ByName.TryGetValue(key, out var canonical) ? canonical : key;
            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            if (output.ContainsKey(name))
            {
                errors.Add(ArmErrors.DuplicateProperty(childPath));
                continue;
            }
            output[name] = enumerations && renameKeys && value is JsonValue scalar && CanonicalEnums.TryCanonicalize(name, scalar, childPath, errors, out var enumValue)
                ? enumValue
                : Canonicalize(value, childPath, renameKeys && !UserKeyed.Contains(name), enumerations, errors);
        }
        return output;
    }
}
