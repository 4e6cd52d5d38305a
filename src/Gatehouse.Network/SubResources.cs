using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.Json;

namespace Gatehouse.Network;

/// <summary>
/// Gives each element of a sub-resource collection the shape ARM returns: <c>name</c>, <c>id</c> (parent id,
/// collection, name), <c>etag</c>, <c>type</c> where Azure gives one, then <c>properties</c> with
/// <c>provisioningState</c> first.
/// </summary>
internal static class SubResources
{
    // Collections inside a sub-resource whose elements are sub-resources themselves, with ids below their parent's.
    private static readonly Dictionary<string, string> NestedCollections = new()
    {
        ["urlPathMaps"] = "pathRules",
        ["privateLinkConfigurations"] = "ipConfigurations",
        ["loadDistributionPolicies"] = "loadDistributionTargets",
    };

    /// <param name="type">The elements' <c>type</c> (<c>Microsoft.Network/applicationGateways/httpListeners</c>), or <c>null</c> where Azure shows none.</param>
    public static JsonArray Shape(string parentId, string collection, JsonArray? items, string etag, string path, string? type)
    {
        var output = new JsonArray();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (item, index) in (items ?? []).Select((item, index) => (item as JsonObject, index)))
        {
            var itemPath = $"{path}[{index}]";
            var name = item.String("name");
            if (string.IsNullOrEmpty(name))
                throw new ArmException(ArmErrors.ElementNameMissing(itemPath));
            if (!names.Add(name))
                throw new ArmException(ArmErrors.ElementNameNotUnique(itemPath, name, path));
            output.Add(Shape(ResourceIds.Child(parentId, collection, name), collection, item!, etag, itemPath, type));
        }
        return output;
    }

    private static JsonObject Shape(string id, string collection, JsonObject item, string etag, string path, string? type)
    {
        var nestedCollection = NestedCollections.GetValueOrDefault(collection);
        var properties = new JsonObject { ["provisioningState"] = "Succeeded" };
        foreach (var (name, value) in item.Properties())
        {
            if (name == "provisioningState") continue;
            properties[name] = name == nestedCollection && value is JsonArray nested
                ? Shape(id, name, nested, etag, $"{path}.properties.{name}", type is null ? null : $"{type}/{name}")
                : value?.DeepClone();
        }
        var output = new JsonObject { ["name"] = item.String("name"), ["id"] = id, ["etag"] = etag };
        if (type is not null) output["type"] = type;
        foreach (var (name, value) in item)
            if (name is not ("name" or "id" or "etag" or "type" or "properties"))
                output[name] = value?.DeepClone();
        output["properties"] = properties;
        return output;
    }
}
