using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.PublicIPAddresses;

/// <summary>
/// <c>Microsoft.Network/publicIPAddresses</c>: a public IP gets a local address, since Gatehouse serves the frontend on
/// this machine. Static (the Standard SKU's only method) is assigned at once; Dynamic gets its address only when
/// attached, as in Azure.
/// </summary>
internal static class PublicIPAddressResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.Network/publicIPAddresses") { Compute = Compute };

    private static void Compute(JsonObject body, ProvisionContext context)
    {
        var properties = body.Properties();
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
            dns["fqdn"] = $"{label}.{DeclaredResourceType.RegionName(body)}.cloudapp.azure.com";
    }
}
