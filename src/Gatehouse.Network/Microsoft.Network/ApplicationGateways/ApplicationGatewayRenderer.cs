using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// The GET view of a stored gateway: write-only secrets removed (<see cref="ApplicationGatewayResourceType.CertificateUploads"/>), back-references added as Azure renders them,
/// and properties left out that the requested api-version does not know.
/// </summary>
internal static class ApplicationGatewayRenderer
{
    // (collection referred to, referring collection, reference property on the referrer, list shown on the referred-to element)
    private static readonly (string Target, string Referrer, string Property, string ShownAs)[] BackReferences =
    [
        ("frontendIPConfigurations", "httpListeners", "frontendIPConfiguration", "httpListeners"),
        ("frontendPorts", "httpListeners", "frontendPort", "httpListeners"),
        ("sslProfiles", "httpListeners", "sslProfile", "httpListeners"),
        ("backendAddressPools", "requestRoutingRules", "backendAddressPool", "requestRoutingRules"),
        ("backendHttpSettingsCollection", "requestRoutingRules", "backendHttpSettings", "requestRoutingRules"),
        ("httpListeners", "requestRoutingRules", "httpListener", "requestRoutingRules"),
        ("probes", "backendHttpSettingsCollection", "probe", "backendHttpSettings"),
        ("redirectConfigurations", "requestRoutingRules", "redirectConfiguration", "requestRoutingRules"),
        ("redirectConfigurations", "urlPathMaps", "defaultRedirectConfiguration", "urlPathMaps"),
        ("redirectConfigurations", "pathRules", "redirectConfiguration", "pathRules"),
    ];

    // Properties that appeared in a later api-version than the one a client may ask for: (collection, or null for the
    // gateway itself; dotted path inside its properties; the version it appeared in).
    private static readonly (string? Collection, string Path, ApiVersion Since)[] VersionedProperties =
    [
        ("requestRoutingRules", "priority", new ApiVersion("2021-08-01")),
        ("sslProfiles", "clientAuthConfiguration.verifyClientRevocation", new ApiVersion("2022-05-01")),
        (null, "defaultPredefinedSslPolicy", new ApiVersion("2023-02-01")),
        ("sslProfiles", "clientAuthConfiguration.verifyClientAuthMode", new ApiVersion("2025-03-01")),
    ];

    public static JsonObject Render(JsonObject stored, ApiVersion apiVersion)
    {
        var body = (JsonObject)stored.DeepClone();
        var properties = body.Properties();
        WriteOnlyPaths.Remove(body, ApplicationGatewayResourceType.CertificateUploads);

        RemoveBackReferences(properties);
        foreach (var (target, referrer, property, shownAs) in BackReferences)
            foreach (var item in properties.Objects(target))
            {
                var id = item.String("id");
                var references = Elements(properties, referrer)
                    .Where(r => ResourceIds.Comparer.Equals(r.Properties().Reference(property), id))
                    .Select(r => (JsonNode)new JsonObject { ["id"] = r.String("id") })
                    .ToArray();
                if (references.Length > 0)
                    item.Properties()[shownAs] = new JsonArray(references);
            }

        foreach (var (collection, path, since) in VersionedProperties)
            if (apiVersion < since)
                foreach (var owner in collection is null ? [properties] : properties.Objects(collection).Select(i => i.Properties()))
                    Remove(owner, path.Split('.'));

        return body;
    }

    /// <summary>
    /// Back-references are computed, never stored: a PUT of a GET body carries them, and they may name what the PUT removes.
    /// </summary>
    public static void RemoveBackReferences(JsonObject properties)
    {
        foreach (var (target, _, _, shownAs) in BackReferences)
            foreach (var item in properties.Objects(target))
                item.Properties().Remove(shownAs);
    }

    // Path rules live inside the URL path maps; every other referrer is a top-level collection.
    private static IEnumerable<JsonObject> Elements(JsonObject properties, string collection) => collection == "pathRules"
        ? properties.Objects("urlPathMaps").SelectMany(m => m.Properties().Objects("pathRules"))
        : properties.Objects(collection);

    private static void Remove(JsonObject? owner, ReadOnlySpan<string> path)
    {
        if (path.Length == 1) owner?.Remove(path[0]);
        else if (owner is not null) Remove(owner.Object(path[0]), path[1..]);
    }
}
