using System.Text.Json.Nodes;
using Gatehouse.Network.Json;
using Gatehouse.Network.VirtualNetworks;

namespace Gatehouse.Network.NetworkInterfaces;

/// <summary>
/// <c>Microsoft.Network/networkInterfaces</c>: each IP configuration in a subnet gets its <c>privateIPAddress</c> from
/// the subnet (Dynamic, the default: the lowest free address, kept across redeploys; Static: the given one, checked), and
/// one that lists a gateway's backend pool in <c>applicationGatewayBackendAddressPools</c> makes that address a member.
/// A subnet not deployed yet leaves the address to be allocated when it is.
/// </summary>
internal static class NetworkInterfaceResourceType
{
    public const string TypeName = "Microsoft.Network/networkInterfaces";

    public static readonly IResourceType Instance = new DeclaredResourceType(TypeName) { ChildCollections = ["ipConfigurations"], Compute = Compute };

    private static void Compute(JsonObject body, ProvisionContext context)
    {
        var id = body.String("id")!;
        var kept = context.Previous.Properties().Objects("ipConfigurations")
            .ToDictionary(c => c.String("name") ?? "", c => c.Properties().String("privateIPAddress"), StringComparer.OrdinalIgnoreCase);
        var subnets = new Dictionary<string, SubnetAddresses?>(ResourceIds.Comparer);
        var configurations = body.Properties().Objects("ipConfigurations").ToList();
        foreach (var (configuration, index) in configurations.Select((c, i) => (c, i)))
        {
            var properties = configuration.Properties();
            var path = $"properties.ipConfigurations[{index}].properties";
            properties["primary"] ??= index == 0;
            properties["privateIPAddressVersion"] ??= "IPv4";
            if (properties.Reference("subnet") is not { } subnetId) continue;
            if (!subnets.TryGetValue(subnetId, out var subnet)) subnets[subnetId] = subnet = SubnetAddresses.Of(subnetId, $"{path}.subnet.id", id, context);
            if (subnet is null) continue;
            var holder = configuration.String("id")!;
            var isStatic = string.Equals(properties.String("privateIPAllocationMethod"), "Static", StringComparison.OrdinalIgnoreCase);
            properties["privateIPAllocationMethod"] = isStatic ? "Static" : "Dynamic";
            properties["privateIPAddress"] = isStatic
                ? subnet.Static(properties.String("privateIPAddress"), $"{path}.privateIPAddress", holder)
                : subnet.Dynamic(kept.GetValueOrDefault(configuration.String("name") ?? ""), $"{path}.privateIPAddress", holder);
        }
    }

    /// <summary>The private address of each IP configuration of a stored interface, by subnet.</summary>
    public static IEnumerable<HeldAddress> Held(JsonObject body) =>
        from configuration in body.Properties().Objects("ipConfigurations")
        let properties = configuration.Properties()
        where properties.Reference("subnet") is not null && properties.String("privateIPAddress") is not null
        select new HeldAddress(properties.Reference("subnet")!, properties.String("privateIPAddress")!, configuration.String("id") ?? "");

    /// <summary>The backend pool memberships of a stored interface: each pool its IP configurations list, with their address.</summary>
    public static IEnumerable<(string PoolId, string Address)> PoolMembers(JsonObject body) =>
        from configuration in body.Properties().Objects("ipConfigurations")
        let properties = configuration.Properties()
        where properties.String("privateIPAddress") is not null
        from pool in properties.Objects("applicationGatewayBackendAddressPools")
        where pool.String("id") is not null
        select (pool.String("id")!, properties.String("privateIPAddress")!);
}
