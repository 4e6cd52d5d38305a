using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.Json;
using static Gatehouse.Network.PropertyPaths;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// Azure retired the v1 SKUs: a gateway of tier Standard or WAF (sizes Small, Medium, Large), or one carrying v1's
/// authentication certificates, is refused with the retirement's error before anything else is checked, as Azure's
/// answer carries that error alone.
/// </summary>
internal static class V1Retirement
{
    private static readonly string[] V1Tiers = ["Standard", "WAF"];

    public static void Refuse(JsonObject properties)
    {
        if (Problem(properties) is { } problem) throw new ArmException(problem);
    }

    private static ArmError? Problem(JsonObject properties)
    {
        var sku = properties.Object("sku");
        if (sku.String("tier") is { } tier && IsV1(tier)) return ArmErrors.V1SkuDeprecated("properties.sku.tier", tier);
        // A v1 size names its tier before the underscore (Standard_Medium, WAF_Large); a v2 one ends in _v2.
        if (sku.String("name") is { } name && name.Split('_') is [var sized, not "v2"] && IsV1(sized)) return ArmErrors.V1SkuDeprecated("properties.sku.name", sized);
        if (properties["authenticationCertificates"] is JsonArray { Count: > 0 }) return ArmErrors.V1AuthenticationCertificates("properties.authenticationCertificates");
        var settings = properties.Objects("backendHttpSettingsCollection").ToList();
        var index = settings.FindIndex(s => s.Properties()["authenticationCertificates"] is JsonArray { Count: > 0 });
        return index < 0 ? null : ArmErrors.V1AuthenticationCertificates(Of(Item("backendHttpSettingsCollection", index), "authenticationCertificates"));
    }

    private static bool IsV1(string tier) => V1Tiers.Contains(tier, StringComparer.OrdinalIgnoreCase);
}
