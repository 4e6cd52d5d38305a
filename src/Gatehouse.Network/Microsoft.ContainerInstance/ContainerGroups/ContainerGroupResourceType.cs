namespace Gatehouse.Network.ContainerGroups;

/// <summary><c>Microsoft.ContainerInstance/containerGroups</c>: secure environment values and registry and file share secrets are never shown.</summary>
internal static class ContainerGroupResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.ContainerInstance/containerGroups")
    {
        WriteOnly =
        [
            "properties.containers[].properties.environmentVariables[].secureValue",
            "properties.volumes[].azureFile.storageAccountKey",
            "properties.imageRegistryCredentials[].password",
        ],
    };
}
