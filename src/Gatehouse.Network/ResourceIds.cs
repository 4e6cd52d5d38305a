namespace Gatehouse.Network;

/// <summary>Resource ids as ARM writes them; compared ordinal-ignore-case everywhere.</summary>
public static class ResourceIds
{
    public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

    public static string Child(string parentId, string collection, string name) => $"{parentId}/{collection}/{name}";

    /// <summary>The id of the resource a child id belongs to: <c>.../virtualNetworks/v/subnets/s</c> gives <c>.../virtualNetworks/v</c>.</summary>
    public static string Parent(string childId)
    {
        var slash = childId.LastIndexOf('/');
        var beforeName = slash > 0 ? childId.LastIndexOf('/', slash - 1) : -1;
        return beforeName > 0 ? childId[..beforeName] : childId;
    }

    public static string LastSegment(string id) => id[(id.LastIndexOf('/') + 1)..];
}
