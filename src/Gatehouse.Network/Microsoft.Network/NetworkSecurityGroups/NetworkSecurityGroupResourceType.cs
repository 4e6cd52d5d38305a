namespace Gatehouse.Network.NetworkSecurityGroups;

/// <summary><c>Microsoft.Network/networkSecurityGroups</c>: security rules are sub-resources with their own ids.</summary>
internal static class NetworkSecurityGroupResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.Network/networkSecurityGroups") { ChildCollections = ["securityRules"] };
}
