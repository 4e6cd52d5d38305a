using Gatehouse.Network.ApplicationGateways;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;
using Gatehouse.Network.Components;
using Gatehouse.Network.ContainerGroups;
using Gatehouse.Network.MySqlServers;
using Gatehouse.Network.NetworkInterfaces;
using Gatehouse.Network.NetworkSecurityGroups;
using Gatehouse.Network.ProfileEndpoints;
using Gatehouse.Network.PublicIPAddresses;
using Gatehouse.Network.RoleAssignments;
using Gatehouse.Network.Sites;
using Gatehouse.Network.SqlServers;
using Gatehouse.Network.StorageAccounts;
using Gatehouse.Network.UserAssignedIdentities;
using Gatehouse.Network.Vaults;
using Gatehouse.Network.VirtualMachineExtensions;
using Gatehouse.Network.VirtualMachines;
using Gatehouse.Network.VirtualMachineScaleSets;
using Gatehouse.Network.VirtualNetworks;
using Gatehouse.Network.Workspaces;

namespace Gatehouse.Network;

/// <summary>Every resource type modelled here, by ARM type name (case-insensitive, as ARM compares them).</summary>
public static class ResourceTypes
{
    private static readonly Dictionary<string, IResourceType> Modelled = new IResourceType[]
    {
        ApplicationGatewayResourceType.Instance,
        WafPolicyResourceType.Instance,
        PublicIPAddressResourceType.Instance,
        VirtualNetworkResourceType.Instance,
        NetworkInterfaceResourceType.Instance,
        NetworkSecurityGroupResourceType.Instance,
        UserAssignedIdentityResourceType.Instance,
        ContainerGroupResourceType.Instance,
        SiteResourceType.Instance,
        VirtualMachineResourceType.Instance,
        VirtualMachineScaleSetResourceType.Instance,
        VirtualMachineExtensionResourceType.Instance,
        SqlServerResourceType.Instance,
        MySqlServerResourceType.Instance,
        VaultResourceType.Instance,
        SecretResourceType.Instance,
        RoleAssignmentResourceType.Instance,
        StorageAccountResourceType.Instance,
        ComponentResourceType.Instance,
        WorkspaceResourceType.Instance,
        ProfileEndpointResourceType.Instance,
    }.ToDictionary(type => type.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The type's own model, or, for a type not modelled here, one that keeps it as declared.</summary>
    public static IResourceType For(string type) => Modelled.GetValueOrDefault(type) ?? new DeclaredResourceType(type);
}
