namespace Gatehouse.Network.VirtualMachines;

/// <summary><c>Microsoft.Compute/virtualMachines</c>: the admin password and custom data are never shown.</summary>
internal static class VirtualMachineResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.Compute/virtualMachines") { WriteOnly = ["properties.osProfile.adminPassword", "properties.osProfile.customData"] };
}
