using Gatehouse.Network.NetworkInterfaces;
using Gatehouse.Network.VirtualMachineScaleSets;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// Pool members that the pool does not list: the private addresses of network interfaces and scale set instances whose
/// IP configurations name the pool (Azure shows them as the pool's backendIPConfigurations).
/// </summary>
internal static class BackendIPConfigurations
{
    /// <summary>The types whose resources join pools this way.</summary>
    public static readonly IReadOnlyList<string> MemberTypes = [NetworkInterfaceResourceType.TypeName, VirtualMachineScaleSetResourceType.TypeName];

    /// <summary>
    /// Every gateway among <paramref name="resources"/>, each pool with the addresses of the interfaces and scale sets
    /// among them that name it, after its own, once each.
    /// </summary>
    public static IEnumerable<ApplicationGateway> Read(IReadOnlyList<ProvisionedResource> resources)
    {
        var members = resources.SelectMany(Members).ToLookup(m => m.PoolId, m => m.Address, ResourceIds.Comparer);
        return resources.Where(r => NetworkProvider.IsApplicationGateway(r.Type)).Select(r =>
        {
            var gateway = ApplicationGatewayReader.Read(r.Id, r.Body);
            return gateway with
            {
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
