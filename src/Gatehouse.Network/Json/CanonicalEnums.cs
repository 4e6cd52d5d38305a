using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using System.Text.Json;
using Gatehouse.Errors;

namespace Gatehouse.Network.Json;

/// <summary>
/// The enumerated properties of a gateway (<see cref="TypeByPath"/>, generated from the specification). Input is matched
/// case-insensitively and written back as the specification spells it; an unknown value is refused with its path, because
/// a typo must not quietly select another mode.
/// </summary>
internal static partial class CanonicalEnums
{
    /// <summary>
    /// The values of the enumerations of the specification's common.json, which the specification copy we generate from
    /// does not include. Types left out here are checked elsewhere with Azure's own codes (SSL policy names and cipher
    /// suites, in <see cref="ApplicationGateways.SslPolicies"/>), or are not read (provisioning and operational states).
    /// </summary>
    private static readonly Dictionary<string, string[]> ValuesByType = new(StringComparer.Ordinal)
    {
        ["ApplicationGatewayClientAuthVerificationModes"] = ["Strict", "Passthrough"],
        ["ApplicationGatewayClientRevocationOptions"] = ["None", "OCSP"],
        ["ApplicationGatewayCookieBasedAffinity"] = ["Enabled", "Disabled"],
        ["ApplicationGatewayCustomErrorStatusCode"] =
            ["HttpStatus400", "HttpStatus403", "HttpStatus404", "HttpStatus405", "HttpStatus408", "HttpStatus500", "HttpStatus502", "HttpStatus503", "HttpStatus504"],
        ["ApplicationGatewayFirewallMode"] = ["Detection", "Prevention"],
        ["ApplicationGatewayLoadDistributionAlgorithm"] = ["RoundRobin", "LeastConnections", "IpHash"],
        ["ApplicationGatewayProtocol"] = ["Http", "Https", "Tcp", "Tls"],
        ["ApplicationGatewayRedirectType"] = ["Permanent", "Found", "SeeOther", "Temporary"],
        ["ApplicationGatewayRequestRoutingRuleType"] = ["Basic", "PathBasedRouting"],
        ["ApplicationGatewaySkuFamily"] = ["Generation_1", "Generation_2"],
        ["ApplicationGatewaySkuName"] = ["Standard_Small", "Standard_Medium", "Standard_Large", "WAF_Medium", "WAF_Large", "Standard_v2", "WAF_v2", "Basic"],
        ["ApplicationGatewaySslPolicyType"] = ["Predefined", "Custom", "CustomV2"],
        ["ApplicationGatewaySslProtocol"] = ["TLSv1_0", "TLSv1_1", "TLSv1_2", "TLSv1_3"],
        ["ApplicationGatewayTier"] = ["Standard", "WAF", "Standard_v2", "WAF_v2", "Basic"],
        ["ApplicationGatewayUnAuthorizedRequestAction"] = ["Deny", "Allow"],
        ["IPAllocationMethod"] = ["Static", "Dynamic"],
    };

    /// <summary>
    /// The value as the specification spells it, when the property at <paramref name="pattern"/> (its path with <c>[]</c>
    /// for array indices) is enumerated; an unknown value is reported in <paramref name="errors"/> with
    /// <paramref name="path"/> and kept as given.
    /// </summary>
    public static bool TryCanonicalize(string pattern, JsonValue value, string path, ArmErrorList errors, [NotNullWhen(true)] out JsonNode? canonical)
    {
        canonical = null;
        if (!TypeByPath.TryGetValue(pattern, out var type) || !ValuesByType.TryGetValue(type, out var allowed) || value.GetValueKind() != JsonValueKind.String)
            return false;
        var given = value.GetValue<string>();
        var match = allowed.FirstOrDefault(a => a.Equals(given, StringComparison.OrdinalIgnoreCase));
        if (match is null) errors.Add(ArmErrors.InvalidEnumValue(path, given, allowed));
        canonical = JsonValue.Create(match ?? given);
        return true;
    }
}
