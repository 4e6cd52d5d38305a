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

    /// <summary>
    /// A resource's body in canonical spelling. A body whose names or enumeration values cannot be read is refused with
    /// every such problem: every later check would guess.
    /// </summary>
    public static JsonObject CanonicalizeResource(ResourceInput input, bool enumerations)
    {
        var errors = new ArmErrorList();
        var canonical = Canonicalize(input.Body, "", enumerations, errors);
        errors.ThrowIfAny(problems => ArmErrors.ResourceValidationFailed(input.Id, problems));
        return canonical;
    }

    /// <param name="enumerations">
    /// Whether to check and respell <see cref="CanonicalEnums"/> values. They are the gateway's; other types use the
    /// same property names for other values (a security rule's <c>protocol</c> is <c>*</c>).
    /// </param>
    /// <param name="errors">Where a property given twice or an unknown enumeration value is reported.</param>
    public static JsonObject Canonicalize(JsonObject input, string path, bool enumerations, ArmErrorList errors) =>
        (JsonObject)new Walk(enumerations, errors).Node(input, path, path, renameKeys: true)!;

    /// <summary>One canonicalization; <c>pattern</c> is the path with <c>[]</c> for every array index, as enumerations are keyed.</summary>
    private sealed record Walk(bool Enumerations, ArmErrorList Errors)
    {
        public JsonNode? Node(JsonNode? node, string path, string pattern, bool renameKeys) => node switch
        {
            JsonObject obj => Object(obj, path, pattern, renameKeys),
            JsonArray array => new JsonArray(array.Select((item, i) => Node(item, $"{path}[{i}]", $"{pattern}[]", renameKeys)).ToArray()),
            JsonValue value when Enumerations && renameKeys && CanonicalEnums.TryCanonicalize(pattern, value, path, Errors, out var canonical) => canonical,
            _ => node?.DeepClone(),
        };

        private JsonObject Object(JsonObject input, string path, string pattern, bool renameKeys)
        {
            var output = new JsonObject();
            foreach (var (key, value) in input)
            {
                var name = renameKeys && CanonicalNames.ByName.TryGetValue(key, out var canonical) ? canonical : key;
                var childPath = path.Length == 0 ? name : $"{path}.{name}";
                if (output.ContainsKey(name))
                {
                    Errors.Add(ArmErrors.DuplicateProperty(childPath));
                    continue;
                }
                output[name] = Node(value, childPath, pattern.Length == 0 ? name : $"{pattern}.{name}", renameKeys && !UserKeyed.Contains(name));
            }
            return output;
        }
    }
}
