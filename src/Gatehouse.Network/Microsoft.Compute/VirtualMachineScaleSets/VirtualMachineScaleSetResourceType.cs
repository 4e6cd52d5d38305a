using System.Text.Json.Nodes;
using Gatehouse.Network.Json;
using Gatehouse.Network.VirtualNetworks;

namespace Gatehouse.Network.VirtualMachineScaleSets;

/// <summary>
/// <c>Microsoft.Compute/virtualMachineScaleSets</c>: the instances' admin password and custom data are never shown. Each
/// of the <c>sku.capacity</c> instances gets its own private address from the subnet of each IP configuration of its
/// network profile (kept across redeploys, as an instance keeps its interface); an IP configuration that lists a
/// gateway's backend pool makes every instance's address a member. Azure shows those addresses on the instances'
/// interfaces, not on the scale set, so they are stored and never rendered.
/// </summary>
internal static class VirtualMachineScaleSetResourceType
{
    public const string TypeName = "Microsoft.Compute/virtualMachineScaleSets";

    private const string InstanceAddresses = "instanceAddresses";
    private const string IpConfigurations = "properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations[].properties.ipConfigurations[]";

    public static readonly IResourceType Instance = new DeclaredResourceType(TypeName)
    {
        WriteOnly = ["properties.virtualMachineProfile.osProfile.adminPassword", "properties.virtualMachineProfile.osProfile.customData"],
        LocalOnly = [$"{IpConfigurations}.properties.{InstanceAddresses}"],
        Compute = Compute,
    };

    private static void Compute(JsonObject body, ProvisionContext context)
    {
        var id = body.String("id")!;
        var capacity = Math.Max(0, body.Object("sku").Int("capacity") ?? 0);
        var kept = IpConfigurationsOf(context.Previous).ToDictionary(c => (c.Interface, c.Name), c => c.Properties.Strings(InstanceAddresses));
        var subnets = new Dictionary<string, SubnetAddresses?>(ResourceIds.Comparer);
        foreach (var (nic, name, properties, path) in IpConfigurationsOf(body))
        {
            properties.Remove(InstanceAddresses);
            if (properties.Reference("subnet") is not { } subnetId) continue;
            if (!subnets.TryGetValue(subnetId, out var subnet)) subnets[subnetId] = subnet = SubnetAddresses.Of(subnetId, $"{path}.subnet.id", id, context);
            if (subnet is null) continue;
            var previous = kept.GetValueOrDefault((nic, name)) ?? [];
            properties[InstanceAddresses] = new JsonArray([.. Enumerable.Range(0, capacity).Select(i => (JsonNode)subnet.Dynamic(
                i < previous.Count ? previous[i] : null, $"{path}.privateIPAddress", $"{id}/virtualMachines/{i}/networkInterfaces/{nic}/ipConfigurations/{name}"))]);
        }
    }

    /// <summary>Each instance's address in each subnet of a stored scale set.</summary>
    public static IEnumerable<HeldAddress> Held(JsonObject body) =>
        from c in IpConfigurationsOf(body)
        where c.Properties.Reference("subnet") is not null
        from address in c.Properties.Strings(InstanceAddresses)
        select new HeldAddress(c.Properties.Reference("subnet")!, address, body.String("id") ?? "");

    /// <summary>The backend pool memberships of a stored scale set: every instance's address in each pool an IP configuration lists.</summary>
    public static IEnumerable<(string PoolId, string Address)> PoolMembers(JsonObject body) =>
        from c in IpConfigurationsOf(body)
        from pool in c.Properties.Objects("applicationGatewayBackendAddressPools")
        where pool.String("id") is not null
        from address in c.Properties.Strings(InstanceAddresses)
        select (pool.String("id")!, address);

    private static IEnumerable<(string Interface, string Name, JsonObject Properties, string Path)> IpConfigurationsOf(JsonObject body) =>
        from nic in body.Properties().Object("virtualMachineProfile").Object("networkProfile").Objects("networkInterfaceConfigurations").Select((n, i) => (n, i))
        from ip in nic.n.Properties().Objects("ipConfigurations").Select((c, i) => (c, i))
        select (nic.n.String("name") ?? "", ip.c.String("name") ?? "", ip.c.Properties(),
            $"properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations[{nic.i}].properties.ipConfigurations[{ip.i}].properties");
}
