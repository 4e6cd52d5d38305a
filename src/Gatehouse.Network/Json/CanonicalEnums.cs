using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using System.Text.Json;
using Gatehouse.Errors;

namespace Gatehouse.Network.Json;

/// <summary>
/// Enumerations whose value decides behaviour. Input is matched case-insensitively and written back as the
/// specification spells it; an unknown value is rejected, because a typo must not quietly select another mode.
/// </summary>
internal static class CanonicalEnums
{
    private static readonly Dictionary<string, string[]> ValuesByProperty = new(StringComparer.Ordinal)
    {
        ["verifyClientAuthMode"] = ["Strict", "Passthrough"],
        ["verifyClientRevocation"] = ["None", "OCSP"],
        ["protocol"] = ["Http", "Https", "Tcp", "Tls"],
        ["ruleType"] = ["Basic", "PathBasedRouting"],
        ["cookieBasedAffinity"] = ["Enabled", "Disabled"],
        ["policyType"] = ["Predefined", "Custom", "CustomV2"],
        ["minProtocolVersion"] = ["TLSv1_0", "TLSv1_1", "TLSv1_2", "TLSv1_3"],
        ["redirectType"] = ["Permanent", "Found", "SeeOther", "Temporary"],
        ["statusCode"] = ["HttpStatus400", "HttpStatus403", "HttpStatus404", "HttpStatus405", "HttpStatus408", "HttpStatus500", "HttpStatus502", "HttpStatus503", "HttpStatus504"],
        ["privateIPAllocationMethod"] = ["Static", "Dynamic"],
        ["publicIPAllocationMethod"] = ["Static", "Dynamic"],
    };

    /// <summary>
    /// The value as the specification spells it, when <paramref name="property"/> is an enumeration; an unknown value is
    /// reported in <paramref name="errors"/> and kept as given.
    /// </summary>
    public static bool TryCanonicalize(string property, JsonValue value, string path, ArmErrorList errors, [NotNullWhen(true)] out JsonNode? canonical)
    {
        canonical = null;
        if (!ValuesByProperty.TryGetValue(property, out var allowed) || value.GetValueKind() != JsonValueKind.String)
            return false;
        var given = value.GetValue<string>();
        var match = allowed.FirstOrDefault(a => a.Equals(given, StringComparison.OrdinalIgnoreCase));
        if (match is null) errors.Add(ArmErrors.InvalidEnumValue(path, given, allowed));
        canonical = JsonValue.Create(match ?? given);
        return true;
    }
}
