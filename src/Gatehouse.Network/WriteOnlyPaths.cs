using System.Text.Json.Nodes;

namespace Gatehouse.Network;

/// <summary>
/// Removes properties a client writes but a GET never returns, as Azure omits them: passwords, keys and secure values,
/// which templates often fill from list* functions or secure parameters. Each type names its own
/// (<see cref="DeclaredResourceType.WriteOnly"/>). Paths are dotted and case-insensitive; a segment ending in <c>[]</c>
/// steps into every element of an array.
/// </summary>
internal static class WriteOnlyPaths
{
    public static void Remove(JsonObject body, IEnumerable<string> paths)
    {
        foreach (var path in paths)
            Remove(body, path.Split('.'));
    }

    private static void Remove(JsonObject owner, ReadOnlySpan<string> path)
    {
        var segment = path[0];
        var each = segment.EndsWith("[]", StringComparison.Ordinal);
        var name = owner.Select(p => p.Key).FirstOrDefault(key => key.Equals(each ? segment[..^2] : segment, StringComparison.OrdinalIgnoreCase));
        if (name is null) return;
        if (path.Length == 1)
        {
            owner.Remove(name);
            return;
        }
        var children = owner[name] switch
        {
            JsonArray array when each => array.OfType<JsonObject>().ToList(),
            JsonObject child when !each => [child],
            _ => [],
        };
        foreach (var child in children) Remove(child, path[1..]);
    }
}
