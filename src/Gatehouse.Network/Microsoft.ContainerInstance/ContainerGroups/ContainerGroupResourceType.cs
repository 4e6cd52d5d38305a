using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.ContainerGroups;

/// <summary>
/// <c>Microsoft.ContainerInstance/containerGroups</c>: secure environment values and registry and file share secrets are
/// never shown. A group with an address runs here, so its address (ipAddress.ip) is this machine's loopback.
/// </summary>
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
        Compute = Compute,
    };

    /// <summary>A group in a virtual network (networkProfile) gets a private address even when it declares none, as in Azure.</summary>
    private static void Compute(JsonObject body, ProvisionContext context)
    {
        var properties = body.Properties();
        if (properties.Object("ipAddress") is { } address) address["ip"] = "127.0.0.1";
        else if (properties.Object("networkProfile") is not null) properties["ipAddress"] = new JsonObject { ["type"] = "Private", ["ip"] = "127.0.0.1" };
    }
}
