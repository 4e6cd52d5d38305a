namespace Gatehouse.Network;

/// <summary>Property paths as ARM's <c>error.target</c> gives them: <c>properties.httpListeners[0].properties.sslCertificate</c>.</summary>
internal static class PropertyPaths
{
    /// <summary>An element of one of the resource's own collections: <c>properties.httpListeners[0]</c>.</summary>
    public static string Item(string collection, int index) => $"properties.{collection}[{index}]";

    /// <summary>An element of a collection inside an element: <c>properties.urlPathMaps[0].properties.pathRules[1]</c>.</summary>
    public static string Item(string owner, string collection, int index) => $"{owner}.properties.{collection}[{index}]";

    /// <summary>A property of an element (<paramref name="owner"/> from <see cref="Item(string, int)"/>), or of the resource when it is empty.</summary>
    public static string Of(string owner, string property) => owner.Length == 0 ? $"properties.{property}" : $"{owner}.properties.{property}";
}
