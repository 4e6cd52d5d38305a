using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network;

/// <summary>
/// What the provider adds to the types it stores beside gateways: ids for their child collections, and the
/// read-only values Azure computes (a public IP's address, an identity's ids), kept across redeploys as Azure keeps them.
/// </summary>
internal static class LightModels
{
    // Child collections given ids like a gateway's sub-resources.
    public static readonly Dictionary<string, string[]> ChildCollections = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Network/virtualNetworks"] = ["subnets"],
        ["Microsoft.Network/networkSecurityGroups"] = ["securityRules"],
    };

    private static readonly Dictionary<string, Action<JsonObject, JsonObject, JsonObject>> Derivations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Network/publicIPAddresses"] = PublicIpAddress,
        ["Microsoft.ManagedIdentity/userAssignedIdentities"] = UserAssignedIdentity,
    };

    /// <summary>Sets the read-only values of <paramref name="body"/>'s properties; <paramref name="previous"/> is the stored body or empty.</summary>
    public static void Derive(string type, JsonObject body, JsonObject previous)
    {
        if (Derivations.TryGetValue(type, out var derive))
            derive(body, body.Properties(), previous.Properties());
    }

    /// <summary>
    /// A public IP gets a local address: Gatehouse serves the frontend on this machine. Static (the Standard SKU's only
    /// method) is assigned at once; Dynamic gets its address only when attached, as in Azure.
    /// </summary>
    private static void PublicIpAddress(JsonObject body, JsonObject properties, JsonObject previous)
    {
        var standard = string.Equals(body.Object("sku").String("name"), "Standard", StringComparison.OrdinalIgnoreCase);
        var method = properties.String("publicIPAllocationMethod") ?? (standard ? "Static" : "Dynamic");
        var version = properties.String("publicIPAddressVersion") ?? "IPv4";
        properties["publicIPAllocationMethod"] = method;
        properties["publicIPAddressVersion"] = version;
        properties["idleTimeoutInMinutes"] ??= 4;
        properties.Remove("ipAddress");
        if (method.Equals("Static", StringComparison.OrdinalIgnoreCase))
            properties["ipAddress"] = version.Equals("IPv6", StringComparison.OrdinalIgnoreCase) ? "::1" : "127.0.0.1";
        if (properties.Object("dnsSettings") is { } dns && dns.String("domainNameLabel") is { } label)
            // Azure names the region as its short name ('Central US' is centralus).
            dns["fqdn"] = $"{label}.{body.String("location")?.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()}.cloudapp.azure.com";
    }

    /// <summary>An identity's principal and client ids are made once and survive redeploys of the same identity.</summary>
    private static void UserAssignedIdentity(JsonObject body, JsonObject properties, JsonObject previous)
    {
        foreach (var id in (string[])["principalId", "clientId"])
            properties[id] = previous.String(id) ?? Guid.NewGuid().ToString();
    }
}
