using System.Text;

namespace Gatehouse.Arm.Functions;

/// <summary>Builds fully qualified resource ids from a scope prefix, a resource type and the names of each type segment.</summary>
internal static class ResourceIds
{
    /// <summary>
    /// <c>Microsoft.Network/virtualNetworks/subnets</c> with names <c>vnet</c>, <c>sub</c> under <paramref name="scopeId"/>
    /// gives <c>{scopeId}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/sub</c>; null when the counts disagree.
    /// </summary>
    public static string? TryBuild(string scopeId, string type, IReadOnlyList<string> names)
    {
        // Public templates often write the type with a trailing slash ('Microsoft.Network/virtualNetworks/'); ARM accepts it.
        var typeSegments = type.TrimEnd('/').Split('/');
        if (typeSegments.Length < 2 || typeSegments.Any(string.IsNullOrEmpty) || typeSegments.Length - 1 != names.Count) return null;
        var id = new StringBuilder(scopeId).Append("/providers/").Append(typeSegments[0]);
        for (var i = 0; i < names.Count; i++) id.Append('/').Append(typeSegments[i + 1]).Append('/').Append(names[i]);
        return id.ToString();
    }

    /// <summary>A resource's name splits at '/' into one name per type segment after the namespace.</summary>
    public static string? TryBuild(string scopeId, string type, string name) => TryBuild(scopeId, type, name.Split('/'));

    /// <summary>The type of a resource id: the namespace after its last '/providers/' and the type segment of each name pair.</summary>
    public static string TypeOf(string id)
    {
        var segments = id.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var provider = Array.FindLastIndex(segments, s => s.Equals("providers", StringComparison.OrdinalIgnoreCase));
        return string.Join('/', segments.Skip(provider + 1).Where((_, i) => i == 0 || i % 2 == 1));
    }
}
