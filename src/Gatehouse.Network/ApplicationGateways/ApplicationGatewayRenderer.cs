using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// The GET view of a stored gateway: write-only secrets removed, back-references added as Azure renders them,
/// and properties left out that the requested api-version does not know.
/// </summary>
internal static class ApplicationGatewayRenderer
{
    // (collection that is referred to, referring collection, reference property on the referrer)
    private static readonly (string Target, string Referrer, string Property)[] BackReferences =
    [
        ("frontendIPConfigurations", "httpListeners", "frontendIPConfiguration"),
        ("frontendPorts", "httpListeners", "frontendPort"),
        ("sslProfiles", "httpListeners", "sslProfile"),
        ("backendAddressPools", "requestRoutingRules", "backendAddressPool"),
        ("backendHttpSettingsCollection", "requestRoutingRules", "backendHttpSettings"),
        ("httpListeners", "requestRoutingRules", "httpListener"),
    ];

    // Properties that appeared in a later api-version than the one a client may ask for.
    private static readonly (string Collection, string Parent, string Property, ApiVersion Since)[] VersionedProperties =
    [
        ("sslProfiles", "clientAuthConfiguration", "verifyClientAuthMode", new ApiVersion("2025-03-01")),
    ];

    private static readonly string[] WriteOnly = ["data", "password"];

    public static JsonObject Render(JsonObject stored, ApiVersion apiVersion)
    {
        var body = (JsonObject)stored.DeepClone();
        var properties = body.Properties();

        foreach (var certificate in properties.Objects("sslCertificates"))
            foreach (var secret in WriteOnly)
                certificate.Properties().Remove(secret);

        foreach (var (target, referrer, property) in BackReferences)
            foreach (var item in properties.Objects(target))
            {
                var id = item.String("id");
                var references = properties.Objects(referrer)
                    .Where(r => ResourceIds.Comparer.Equals(r.Properties().Reference(property), id))
                    .Select(r => (JsonNode)new JsonObject { ["id"] = r.String("id") })
                    .ToArray();
                if (references.Length > 0)
                    item.Properties()[referrer] = new JsonArray(references);
            }

        foreach (var (collection, parent, property, since) in VersionedProperties)
            if (apiVersion < since)
                foreach (var item in properties.Objects(collection))
                    item.Properties().Object(parent)?.Remove(property);

        return body;
    }
}
