namespace Gatehouse.Network.VirtualMachineScaleSets;

/// <summary><c>Microsoft.Compute/virtualMachineScaleSets</c>: the instances' admin password and custom data are never shown.</summary>
internal static class VirtualMachineScaleSetResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.Compute/virtualMachineScaleSets") { WriteOnly = ["properties.virtualMachineProfile.osProfile.adminPassword", "properties.virtualMachineProfile.osProfile.customData"] };
}
