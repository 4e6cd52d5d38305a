using Gatehouse.Network.Json;
using Gatehouse.Network.NetworkInterfaces;
using Gatehouse.Network.PublicIPAddresses;
using Gatehouse.Network.VirtualMachineScaleSets;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// What a gateway takes from the resources around it: pool members that the pool does not list (the private addresses
/// of network interfaces and scale set instances whose IP configurations name the pool, which Azure shows as the pool's
/// backendIPConfigurations), and its public frontends' addresses.
/// </summary>
internal static class BackendIPConfigurations
{
    /// <summary>The types whose resources join pools, or give frontends their addresses.</summary>
    public static readonly IReadOnlyList<string> NeighbourTypes =
        [NetworkInterfaceResourceType.TypeName, VirtualMachineScaleSetResourceType.TypeName, PublicIPAddressResourceType.TypeName];

    /// <summary>
    /// Every gateway among <paramref name="resources"/>, each pool with the addresses of the interfaces and scale sets
    /// among them that name it, after its own, once each; each public frontend with its public IP's address.
    /// </summary>
    public static IEnumerable<ApplicationGateway> Read(IReadOnlyList<ProvisionedResource> resources)
    {
        var members = resources.SelectMany(Members).ToLookup(m => m.PoolId, m => m.Address, ResourceIds.Comparer);
        var publicAddresses = resources.Where(r => r.Type.Equals(PublicIPAddressResourceType.TypeName, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(r => r.Id, r => r.Body.Properties().String("ipAddress"), ResourceIds.Comparer);
        return resources.Where(r => NetworkProvider.IsApplicationGateway(r.Type)).Select(r =>
        {
            var gateway = ApplicationGatewayReader.Read(r.Id, r.Body);
            return gateway with
            {
                FrontendIpConfigurations = [.. gateway.FrontendIpConfigurations.Select(f =>
                    f with { PublicAddress = f.PublicIpAddressId is { } pip ? publicAddresses.GetValueOrDefault(pip) : null })],
                BackendAddressPools = [.. gateway.BackendAddressPools.Select(pool => members[pool.Id].Any()
                    ? pool with { BackendAddresses = [.. pool.BackendAddresses.Concat(members[pool.Id].Select(a => new BackendAddress(null, a))).Distinct()] }
                    : pool)],
            };
        });
    }

    private static IEnumerable<(string PoolId, string Address)> Members(ProvisionedResource resource) =>
        resource.Type.Equals(NetworkInterfaceResourceType.TypeName, StringComparison.OrdinalIgnoreCase) ? NetworkInterfaceResourceType.PoolMembers(resource.Body)
        : resource.Type.Equals(VirtualMachineScaleSetResourceType.TypeName, StringComparison.OrdinalIgnoreCase) ? VirtualMachineScaleSetResourceType.PoolMembers(resource.Body)
        : [];
}
