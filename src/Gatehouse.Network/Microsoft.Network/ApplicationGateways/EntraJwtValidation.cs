using Gatehouse.Errors;
using static Gatehouse.Network.PropertyPaths;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>The specification's ApplicationGatewayUnAuthorizedRequestAction: what a request without a valid token gets.</summary>
public enum UnAuthorizedRequestAction { Deny, Allow }

/// <summary>
/// Validation of Microsoft Entra ID tokens on the requests of the rules that reference it (API 2025-03-01). A token's
/// <c>aud</c> must be one of <see cref="Audiences"/>, or, when none are given, <see cref="ClientId"/> or
/// <c>api://ClientId</c>; <see cref="TenantId"/> is a tenant's GUID or <c>common</c>, <c>organizations</c> or <c>consumers</c>.
/// </summary>
public sealed record EntraJwtValidationConfig(string Id, string Name, IReadOnlyList<string> Audiences)
{
    // Plain settings, bound by name from the configuration's properties (InitPropertyBinder).

    public string? TenantId { get; init; }
    public string? ClientId { get; init; }

    /// <summary>Deny when the template leaves it out: a gateway asked to check tokens lets nothing unchecked through unless told to.</summary>
    public UnAuthorizedRequestAction UnAuthorizedRequestAction { get; init; } = UnAuthorizedRequestAction.Deny;

    /// <summary>The <c>aud</c> values a token may carry.</summary>
    public IReadOnlyList<string> ValidAudiences => Audiences.Count > 0 ? Audiences : ClientId is null ? [] : [ClientId, $"api://{ClientId}"];
}

/// <summary>Entra ID's tenant names that stand for several tenants, as its endpoints take them.</summary>
public static class EntraTenants
{
    /// <summary>Microsoft accounts' tenant: what <c>consumers</c> admits and <c>organizations</c> does not.</summary>
    public const string ConsumersTenantId = "9188040d-6c67-4c5b-b112-36a304b66dad";

    public static readonly string[] MultiTenantNames = ["common", "organizations", "consumers"];
}

/// <summary>Where Entra JWT validation can be configured, and what a configuration must name (json-web-token-overview).</summary>
internal static class EntraJwtValidationValidator
{
    public static readonly ApiVersion Since = new("2025-03-01");

    public const int MaxAudiences = 5;

    public static void Validate(ApplicationGateway gateway, ApiVersion apiVersion, ArmErrorList errors)
    {
        if (gateway.EntraJwtValidationConfigs.Count == 0 && !gateway.RequestRoutingRules.Any(r => r.EntraJwtValidationConfigId is not null)) return;
        if (apiVersion < Since)
            errors.Add(ArmErrors.EntraJwtValidationApiVersion("properties.entraJWTValidationConfigs", gateway.Id, apiVersion.Value, Since.Value));
        if (!gateway.Sku.Tier.EndsWith("_v2", StringComparison.OrdinalIgnoreCase))
            errors.Add(ArmErrors.EntraJwtValidationNeedsV2Sku("properties.sku.tier", gateway.Id, gateway.Sku.Tier));

        foreach (var (config, item) in gateway.EntraJwtValidationConfigs.Select((c, i) => (c, Item("entraJWTValidationConfigs", i))))
        {
            if (config.TenantId is not { } tenant || !(Guid.TryParse(tenant, out _) || EntraTenants.MultiTenantNames.Contains(tenant, StringComparer.OrdinalIgnoreCase)))
                errors.Add(ArmErrors.EntraJwtValidationTenantIdInvalid(Of(item, "tenantId"), config.Id, config.TenantId));
            if (config.ClientId is not { } client || !Guid.TryParse(client, out _))
                errors.Add(ArmErrors.EntraJwtValidationClientIdInvalid(Of(item, "clientId"), config.Id, config.ClientId));
            if (config.Audiences.Count > MaxAudiences)
                errors.Add(ArmErrors.EntraJwtValidationTooManyAudiences(Of(item, "audiences"), config.Id, config.Audiences.Count, MaxAudiences));
        }

        // Tokens travel in a request's headers, which only TLS keeps from being read on the way.
        foreach (var (rule, item) in gateway.RequestRoutingRules.Select((r, i) => (r, Item("requestRoutingRules", i))))
        {
            if (rule.EntraJwtValidationConfigId is null) continue;
            var listener = gateway.HttpListeners.FirstOrDefault(l => ResourceIds.Comparer.Equals(l.Id, rule.HttpListenerId));
            if (listener is { Protocol: not ListenerProtocol.Https })
                errors.Add(ArmErrors.EntraJwtValidationNeedsHttpsListener(Of(item, "entraJWTValidationConfig"), rule.Id, listener.Id));
        }
    }
}
