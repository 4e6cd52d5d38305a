namespace Gatehouse.Network.Json;

/// <summary>
/// Property names as the Microsoft.Network REST specification spells them (<see cref="Specification"/>, generated), so
/// that input in any casing is written back canonically; and the names of the other types' properties that the
/// specification copy we generate from does not define.
/// </summary>
internal static partial class CanonicalNames
{
    private static readonly string[] OtherTypes =
    [
        "addressPrefix", "addressPrefixes", "addressSpace", "apiVersion", "applicationGatewayBackendAddressPools", "delegations", "dependsOn",
        "dnsSettings", "domainNameLabel", "idleTimeoutInMinutes", "kind", "networkInterfaceConfigurations", "networkProfile",
        "privateIPAddressVersion", "publicIPAddressVersion", "publicIPAllocationMethod", "serviceName", "subnets", "virtualMachineProfile",
    ];

    public static IReadOnlyDictionary<string, string> ByName => Table.ByName;

    // Built on first use, once both halves of this partial class are initialized (their order across files is not defined).
    private static class Table
    {
        public static readonly IReadOnlyDictionary<string, string> ByName =
            Specification.Concat(OtherTypes).ToDictionary(n => n, StringComparer.OrdinalIgnoreCase);
    }
}
