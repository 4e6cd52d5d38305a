using System.Text.Json.Nodes;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Network;

/// <summary>
/// Properties a client writes but a GET never returns, as Azure omits them: passwords, keys and secure values, which
/// templates often fill from list* functions or secure parameters. Paths are dotted and case-insensitive; a segment
/// ending in <c>[]</c> steps into every element of an array.
/// </summary>
internal static class WriteOnlyProperties
{
    private static readonly Dictionary<string, string[]> ByType = new(StringComparer.OrdinalIgnoreCase)
    {
        [ApplicationGatewayProvisioner.ResourceType] = ["properties.sslCertificates[].properties.data", "properties.sslCertificates[].properties.password"],
        ["Microsoft.ContainerInstance/containerGroups"] =
        [
            "properties.containers[].properties.environmentVariables[].secureValue",
            "properties.volumes[].azureFile.storageAccountKey",
            "properties.imageRegistryCredentials[].password",
        ],
        ["Microsoft.Web/sites"] = ["properties.siteConfig.appSettings", "properties.siteConfig.connectionStrings"],
        ["Microsoft.Compute/virtualMachines"] = ["properties.osProfile.adminPassword", "properties.osProfile.customData"],
        ["Microsoft.Compute/virtualMachineScaleSets"] =
            ["properties.virtualMachineProfile.osProfile.adminPassword", "properties.virtualMachineProfile.osProfile.customData"],
        ["Microsoft.Compute/virtualMachines/extensions"] = ["properties.protectedSettings"],
        ["Microsoft.Sql/servers"] = ["properties.administratorLoginPassword"],
        ["Microsoft.DBforMySQL/servers"] = ["properties.administratorLoginPassword"],
    };

    /// <summary>Removes the write-only properties of <paramref name="type"/> from a body about to be shown.</summary>
    public static void Remove(string type, JsonObject body)
    {
        foreach (var path in ByType.GetValueOrDefault(type, []))
            Remove(body, path.Split('.'));
    }

    private static void Remove(JsonObject owner, ReadOnlySpan<string> path)
    {
        var segment = path[0];
        var each = segment.EndsWith("[]", StringComparison.Ordinal);
        var name = owner.Select(p => p.Key).FirstOrDefault(key => key.Equals(each ? segment[..^2] : segment, StringComparison.OrdinalIgnoreCase));
        if (name is null) return;
        if (path.Length == 1)
        {
            owner.Remove(name);
            return;
        }
        var children = owner[name] switch
        {
            JsonArray array when each => array.OfType<JsonObject>().ToList(),
            JsonObject child when !each => [child],
            _ => [],
        };
        foreach (var child in children) Remove(child, path[1..]);
    }
}
