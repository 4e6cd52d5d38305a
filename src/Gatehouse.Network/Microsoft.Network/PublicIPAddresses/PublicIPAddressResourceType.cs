using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.PublicIPAddresses;

/// <summary>
/// <c>Microsoft.Network/publicIPAddresses</c>: a public IP gets a local address of its own, since Gatehouse serves the
/// frontend on this machine: an IPv4 one the lowest loopback address (from 127.0.0.1) no other public IP holds, kept
/// across redeploys, so that each frontend listens on its own address as in Azure; an IPv6 one ::1. Static (the
/// Standard SKU's only method) is assigned at once; Dynamic gets its address only when attached, as in Azure.
/// </summary>
internal static class PublicIPAddressResourceType
{
    public const string TypeName = "Microsoft.Network/publicIPAddresses";

    public static readonly IResourceType Instance = new DeclaredResourceType(TypeName) { Compute = Compute };

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
            properties["ipAddress"] = version.Equals("IPv6", StringComparison.OrdinalIgnoreCase) ? "::1" : LoopbackAddress(body.String("id")!, context);
        if (properties.Object("dnsSettings") is { } dns && dns.String("domainNameLabel") is { } label)
            dns["fqdn"] = $"{label}.{DeclaredResourceType.RegionName(body)}.cloudapp.azure.com";
    }

    /// <summary>The address the public IP had while no other holds it, else the lowest free one of 127.0.0.0/8.</summary>
    private static string LoopbackAddress(string id, ProvisionContext context)
    {
        var taken = context.OfType(TypeName).Where(r => !ResourceIds.Comparer.Equals(r.Id, id))
            .Select(r => r.Body.Properties().String("ipAddress")).OfType<string>().ToHashSet();
        if (context.Previous.Properties().String("ipAddress") is { } kept && kept.StartsWith("127.", StringComparison.Ordinal) && !taken.Contains(kept))
            return kept;
        for (var n = 1; n < 1 << 24; n++)
        {
            var candidate = $"127.{n >> 16}.{(n >> 8) & 0xff}.{n & 0xff}";
            if (!taken.Contains(candidate)) return candidate;
        }
        throw new InvalidOperationException("Every loopback address is held by a public IP.");
    }
}
