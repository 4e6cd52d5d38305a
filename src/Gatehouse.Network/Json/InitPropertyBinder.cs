using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Gatehouse.Network.Json;

/// <summary>
/// Binds a model record's init-only properties of a plain type (bool, int, string, an enumeration, or their nullable
/// forms) from the resource property of the same name, camelCase, in canonical JSON. A property the JSON leaves out keeps
/// its initializer, which is its documented default. So a plain setting of a sub-resource is declared once, on the model,
/// and read without a line in <see cref="ApplicationGateways.ApplicationGatewayReader"/>; references, lists and nested
/// objects stay the reader's.
/// </summary>
internal static class InitPropertyBinder
{
    private static readonly ConcurrentDictionary<Type, Binding[]> ByType = new();

    /// <summary>Sets <paramref name="model"/>'s plain init-only properties from <paramref name="properties"/>; returns the model.</summary>
    public static T Bind<T>(T model, JsonObject properties) where T : class
    {
        foreach (var binding in ByType.GetOrAdd(typeof(T), Bindings))
            if (binding.Read(properties, binding.JsonName) is { } value)
                binding.Property.SetValue(model, value);
        return model;
    }

    private sealed record Binding(PropertyInfo Property, string JsonName, Func<JsonObject, string, object?> Read);

    private static Binding[] Bindings(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(IsInitOnly)
            .Select(p => Reader(p.PropertyType) is { } read ? new Binding(p, JsonName(p.Name), read) : null)
            .OfType<Binding>()
            .ToArray();

    private static bool IsInitOnly(PropertyInfo property) =>
        property.SetMethod?.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)) == true;

    // A value of another JSON kind than the property's (cookieBasedAffinity's "Enabled" for a bool) is the reader's to map.
    private static Func<JsonObject, string, object?>? Reader(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        if (plain == typeof(bool)) return (json, name) => json.Bool(name);
        if (plain == typeof(int)) return (json, name) => json.Int(name);
        if (plain == typeof(string)) return (json, name) => json.String(name);
        // Enumeration values arrive as the specification spells them: the canonicalizer refused any other.
        if (plain.IsEnum) return (json, name) => json.String(name) is { } value ? Enum.Parse(plain, value, ignoreCase: true) : null;
        return null;
    }

    // The specification's spelling when it has one (validateSNI for ValidateSni), else camelCase.
    private static string JsonName(string property) =>
        CanonicalNames.ByName.TryGetValue(property, out var canonical) ? canonical : char.ToLowerInvariant(property[0]) + property[1..];
}
