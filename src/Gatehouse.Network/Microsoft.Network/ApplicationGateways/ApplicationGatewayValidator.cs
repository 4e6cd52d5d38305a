using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.Json;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;
using static Gatehouse.Network.PropertyPaths;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// Azure's checks on a whole gateway (appgw-behaviour §1.2, §5, §7). Every check runs and adds what it finds to the
/// request's <see cref="ArmErrorList"/>, so one answer lists every problem.
/// </summary>
internal static class ApplicationGatewayValidator
{
    public static void Validate(ApplicationGateway gateway, JsonObject properties, ApiVersion apiVersion, Func<string, ProvisionedResource?> lookup, ArmErrorList errors)
    {
        GatewayLimits.Enforce(gateway.Id, properties, errors);
        ValidateReferences(gateway.Id, properties, errors);
        ValidateListeners(gateway, properties, errors);
        ValidateProfiles(gateway, errors);
        ValidateKeyVaultReferences(gateway, errors);
        RoutingValidator.Validate(gateway, apiVersion, errors);
        EntraJwtValidationValidator.Validate(gateway, apiVersion, errors);
        BackendValidator.Validate(gateway, errors);
        Layer4Validator.Validate(gateway, errors);
        ValidateFrontendPorts(gateway, errors);
        ValidateSku(gateway, errors);
        ValidateNeighbours(gateway, properties, lookup, errors);
        ValidateFirewall(gateway, properties, lookup, errors);
    }

    /// <summary>Every keyVaultSecretId names a secret, and the gateway has the identity that reads it.</summary>
    private static void ValidateKeyVaultReferences(ApplicationGateway gateway, ArmErrorList errors)
    {
        foreach (var (certificate, index) in gateway.SslCertificates.Select((c, i) => (c, Item("sslCertificates", i))))
            if (certificate.KeyVaultSecretId is { } secretId)
                KeyVaultCertificates.Validate(gateway, certificate.Id, secretId, Of(index, "keyVaultSecretId"), errors);
        foreach (var (root, index) in gateway.TrustedRootCertificates.Select((r, i) => (r, Item("trustedRootCertificates", i))))
            if (root.Data is null && root.KeyVaultSecretId is { } secretId)
                KeyVaultCertificates.Validate(gateway, root.Id, secretId, Of(index, "keyVaultSecretId"), errors);
    }

    /// <summary>
    /// The legacy configuration must be one that runs, every firewallPolicy a gateway, listener or path rule names must
    /// exist, and only the WAF tiers run a firewall.
    /// </summary>
    private static void ValidateFirewall(ApplicationGateway gateway, JsonObject properties, Func<string, ProvisionedResource?> lookup, ArmErrorList errors)
    {
        if (properties.Object("webApplicationFirewallConfiguration") is { } legacy)
            WafPolicyReader.ReadLegacy(gateway.Id, gateway.Name, legacy, errors);
        var references = new List<(string PolicyId, string By, string Path)>();
        if (gateway.FirewallPolicyId is { } own) references.Add((own, gateway.Id, "properties.firewallPolicy.id"));
        foreach (var (listener, i) in gateway.HttpListeners.Select((l, i) => (l, i)))
            if (listener.FirewallPolicyId is { } policy) references.Add((policy, listener.Id, $"{Of(Item("httpListeners", i), "firewallPolicy")}.id"));
        foreach (var (map, i) in gateway.UrlPathMaps.Select((m, i) => (m, i)))
            foreach (var (rule, j) in map.PathRules.Select((r, j) => (r, j)))
                if (rule.FirewallPolicyId is { } policy)
                    references.Add((policy, rule.Id, $"{Of(Item(Item("urlPathMaps", i), "pathRules", j), "firewallPolicy")}.id"));
        foreach (var (policyId, by, path) in references)
        {
            if (!FullyQualified(policyId, path, errors)) continue;
            if (lookup(policyId) is not { } found || !NetworkProvider.IsWafPolicy(found.Type))
                errors.Add(ArmErrors.ReferenceNotFound(path, policyId, by));
        }
        var firewall = references.Count > 0 || gateway.WebApplicationFirewallConfiguration is { Settings.Enabled: true };
        if (firewall && !gateway.Sku.Tier.StartsWith("WAF", StringComparison.OrdinalIgnoreCase))
            errors.Add(ArmErrors.WafNeedsWafSku("properties.sku.tier", gateway.Id, gateway.Sku.Tier));
    }

    /// <summary>
    /// Every <c>{ "id" }</c> inside a sub-resource that points into a gateway must name one of this gateway's
    /// sub-resources (a template that misspells the gateway's name points into another one).
    /// </summary>
    private static void ValidateReferences(string gatewayId, JsonObject properties, ArmErrorList errors)
    {
        var subResources = new HashSet<string>(ResourceIds.Comparer);
        var references = new List<(string Referenced, string By, string Path)>();
        void Walk(JsonNode? node, string by, string path)
        {
            switch (node)
            {
                case JsonObject { Count: 1 } reference when reference.String("id") is { } id:
                    if (id.Contains($"/providers/{ApplicationGatewayResourceType.TypeName}/", StringComparison.OrdinalIgnoreCase)) references.Add((id, by, path));
                    break;
                case JsonObject subResource when subResource.String("id") is { } id && subResource["properties"] is JsonObject inner:
                    subResources.Add(id);
                    Walk(inner, id, $"{path}.properties");
                    break;
                case JsonObject obj:
                    foreach (var (name, value) in obj) Walk(value, by, $"{path}.{name}");
                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++) Walk(array[i], by, $"{path}[{i}]");
                    break;
            }
        }
        foreach (var collection in ApplicationGatewayProvisioner.Collections)
            Walk(properties[collection], gatewayId, $"properties.{collection}");

        foreach (var (referenced, by, path) in references)
            if (!subResources.Contains(referenced))
                errors.Add(ArmErrors.ReferenceNotFound(path, referenced, by));
    }

    private static void ValidateListeners(ApplicationGateway gateway, JsonObject properties, ArmErrorList errors)
    {
        foreach (var (listener, index) in gateway.HttpListeners.Select((l, i) => (l, Item("httpListeners", i))))
        {
            Required(listener.FrontendIpConfigurationId, listener.Id, index, "frontendIPConfiguration", errors);
            Required(listener.FrontendPortId, listener.Id, index, "frontendPort", errors);
            var given = Given(properties, "httpListeners", listener.Id);
            HostNames.Validate(listener.Id, index, given.String("hostName"), given.Strings("hostNames"), errors);
            if (listener.Protocol is ListenerProtocol.Tcp or ListenerProtocol.Tls)
                errors.Add(ArmErrors.ProtocolNotForCollection(Of(index, "protocol"), $"HTTP listener {listener.Id}", listener.Protocol.ToString(), "Http or Https", "listeners"));
            if (listener.Protocol == ListenerProtocol.Https && listener.SslCertificateId is null)
                errors.Add(ArmErrors.ListenerMissingSslCertificate(Of(index, "sslCertificate"), listener.Id));
            if (listener.Protocol == ListenerProtocol.Http && listener.SslProfileId is not null)
                errors.Add(ArmErrors.HttpListenerWithSslProfile(Of(index, "sslProfile"), listener.Id));
        }
    }

    private static void ValidateProfiles(ApplicationGateway gateway, ArmErrorList errors)
    {
        var policies = new List<(SslPolicy? Policy, string Owner, string Path)> { (gateway.SslPolicy, $"{gateway.Id}/sslPolicy", "properties.sslPolicy") };
        foreach (var (profile, index) in gateway.SslProfiles.Select((p, i) => (p, Item("sslProfiles", i))))
        {
            if (profile.ClientAuthentication is null && profile.ClientAuthConfiguration?.VerifyClientAuthMode == ClientAuthMode.Strict)
                errors.Add(ArmErrors.StrictProfileWithoutTrustedClientCertificates(Of(index, "clientAuthConfiguration.verifyClientAuthMode"), profile.Id));
            if (profile.SslPolicy is not null) policies.Add((profile.SslPolicy, profile.Id, Of(index, "sslPolicy")));
        }
        SslPolicies.ValidateTogether(policies, errors);
    }

    private static void ValidateFrontendPorts(ApplicationGateway gateway, ArmErrorList errors)
    {
        foreach (var (port, index) in gateway.FrontendPorts.Select((p, i) => (p, i)))
            if (port.Port is < 1 or > 65199)
                errors.Add(ArmErrors.FrontendPortOutOfRange(Of(Item("frontendPorts", index), "port"), port.Id, port.Port));

        // One frontend IP and port serve one listener per host name; a listener without host names takes all the others.
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (listener, index) in gateway.HttpListeners.Select((l, i) => (l, i)))
            foreach (var host in listener.HostNames.DefaultIfEmpty(""))
                if (!seen.TryAdd($"{listener.FrontendIpConfigurationId}|{listener.FrontendPortId}|{host}", listener.Id))
                    errors.Add(ArmErrors.ListenersShareFrontend(Of(Item("httpListeners", index), "frontendPort"),
                        seen[$"{listener.FrontendIpConfigurationId}|{listener.FrontendPortId}|{host}"], listener.Id, host));
        foreach (var (listener, index) in gateway.Listeners.Select((l, i) => (l, i)))
            foreach (var host in listener.HostNames.DefaultIfEmpty(""))
                if (!seen.TryAdd($"{listener.FrontendIpConfigurationId}|{listener.FrontendPortId}|{host}", listener.Id))
                    errors.Add(ArmErrors.ListenersShareFrontend(Of(Item("listeners", index), "frontendPort"),
                        seen[$"{listener.FrontendIpConfigurationId}|{listener.FrontendPortId}|{host}"], listener.Id, host));
    }

    private static void ValidateSku(ApplicationGateway gateway, ArmErrorList errors)
    {
        var tier = gateway.Sku.Tier;
        var v2 = tier.EndsWith("_v2", StringComparison.OrdinalIgnoreCase);
        if (v2 && gateway.Sku.Capacity is null && gateway.AutoscaleConfiguration is null)
            errors.Add(ArmErrors.V2SkuWithoutCapacity("properties.sku.capacity", gateway.Id, tier));
        var maxInstances = v2 ? 125 : 32;
        if (gateway.Sku.Capacity is { } capacity && (capacity < 1 || capacity > maxInstances))
            errors.Add(ArmErrors.CapacityOutOfRange("properties.sku.capacity", gateway.Id, capacity, tier, maxInstances));
        if (gateway.AutoscaleConfiguration is not { } autoscale) return;
        if (!v2)
            errors.Add(ArmErrors.AutoscaleNeedsV2("properties.autoscaleConfiguration", gateway.Id, tier));
        else if (autoscale.MinCapacity is < 0 or > 125 || autoscale.MaxCapacity is < 2 or > 125 || autoscale.MaxCapacity < autoscale.MinCapacity)
            errors.Add(ArmErrors.AutoscaleOutOfRange("properties.autoscaleConfiguration", gateway.Id, autoscale.MinCapacity, autoscale.MaxCapacity));
    }

    /// <summary>
    /// The subnet and public IP a gateway names must be given by resource id and exist, as ARM checks before it creates
    /// the gateway.
    /// </summary>
    private static void ValidateNeighbours(ApplicationGateway gateway, JsonObject properties, Func<string, ProvisionedResource?> lookup, ArmErrorList errors)
    {
        foreach (var (ipConfiguration, index) in properties.Objects("gatewayIPConfigurations").Select((c, i) => (c, i)))
        {
            var subnet = ipConfiguration.Properties().Reference("subnet");
            if (subnet is null) continue;
            var path = $"{Of(Item("gatewayIPConfigurations", index), "subnet")}.id";
            if (!FullyQualified(subnet, path, errors)) continue;
            // A subnet is declared inside its virtual network or as a virtualNetworks/subnets resource of its own.
            var network = lookup(ResourceIds.Parent(subnet));
            var found = lookup(subnet) is not null
                || (network?.Body.Properties().Objects("subnets").Any(s => ResourceIds.Comparer.Equals(s.String("id"), subnet)) ?? false);
            if (!found)
                errors.Add(ArmErrors.ReferenceNotFound(path, subnet, ipConfiguration.String("id")!));
        }
        foreach (var (frontend, index) in gateway.FrontendIpConfigurations.Select((f, i) => (f, i)))
        {
            if (frontend.PublicIpAddressId is not { } publicIp) continue;
            var path = $"{Of(Item("frontendIPConfigurations", index), "publicIPAddress")}.id";
            if (FullyQualified(publicIp, path, errors) && lookup(publicIp) is null)
                errors.Add(ArmErrors.ReferenceNotFound(path, publicIp, frontend.Id));
        }
    }

    /// <summary>A reference to another resource is its full id (a template that passes a bare name gets ARM's error).</summary>
    private static bool FullyQualified(string id, string path, ArmErrorList errors)
    {
        if (id.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase) || id.StartsWith("/providers/", StringComparison.OrdinalIgnoreCase)) return true;
        errors.Add(ArmErrors.IdNotFullyQualified(path, id));
        return false;
    }

    /// <summary>A reference the sub-resource cannot do without.</summary>
    public static void Required(string? referenced, string by, string owner, string property, ArmErrorList errors)
    {
        if (string.IsNullOrEmpty(referenced))
            errors.Add(ArmErrors.ReferenceRequired(Of(owner, property), by, property));
    }

    private static JsonObject Given(JsonObject properties, string collection, string id) =>
        properties.Objects(collection).Single(i => ResourceIds.Comparer.Equals(i.String("id"), id)).Properties();
}
