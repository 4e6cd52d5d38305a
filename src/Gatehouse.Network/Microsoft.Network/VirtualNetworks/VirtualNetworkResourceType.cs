namespace Gatehouse.Network.VirtualNetworks;

/// <summary><c>Microsoft.Network/virtualNetworks</c>: subnets are sub-resources with their own ids.</summary>
internal static class VirtualNetworkResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.Network/virtualNetworks") { ChildCollections = ["subnets"] };
}
