namespace Gatehouse.Network.VirtualMachineExtensions;

/// <summary><c>Microsoft.Compute/virtualMachines/extensions</c>: protected settings are never shown.</summary>
internal static class VirtualMachineExtensionResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.Compute/virtualMachines/extensions") { WriteOnly = ["properties.protectedSettings"] };
}
