using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>Azure's checks on a whole gateway, with its error codes (appgw-behaviour §1.2, §5, §7).</summary>
internal static class ApplicationGatewayValidator
{
    public static void Validate(ApplicationGateway gateway, JsonObject properties, ApiVersion apiVersion, Func<string, ProvisionedResource?> lookup)
    {
        GatewayLimits.Enforce(gateway.Id, properties);
        ValidateReferences(gateway.Id, properties);
        ValidateListeners(gateway, properties);
        ValidateProfiles(gateway, properties);
        RoutingValidator.Validate(gateway, apiVersion);
        BackendValidator.Validate(gateway);
        ValidateFrontendPorts(gateway);
        ValidateSku(gateway);
        ValidateNeighbours(gateway, properties, lookup);
    }

    /// <summary>
    /// Every <c>{ "id" }</c> inside a sub-resource that points into a gateway must name one of this gateway's
    /// sub-resources (a template that misspells the gateway's name points into another one).
    /// </summary>
    private static void ValidateReferences(string gatewayId, JsonObject properties)
    {
        var subResources = new HashSet<string>(ResourceIds.Comparer);
        var references = new List<(string Referenced, string By)>();
        void Walk(JsonNode? node, string by)
        {
            switch (node)
            {
                case JsonObject { Count: 1 } reference when reference.String("id") is { } id:
                    if (id.Contains($"/providers/{ApplicationGatewayProvisioner.ResourceType}/", StringComparison.OrdinalIgnoreCase)) references.Add((id, by));
                    break;
                case JsonObject subResource when subResource.String("id") is { } id && subResource["properties"] is JsonObject inner:
                    subResources.Add(id);
                    Walk(inner, id);
                    break;
                case JsonObject obj:
                    foreach (var (_, value) in obj) Walk(value, by);
                    break;
                case JsonArray array:
                    foreach (var item in array) Walk(item, by);
                    break;
            }
        }
        foreach (var collection in ApplicationGatewayProvisioner.Collections)
            Walk(properties[collection], gatewayId);

        foreach (var (referenced, by) in references)
            if (!subResources.Contains(referenced))
                throw ReferenceNotFound(referenced, by);
    }

    private static void ValidateListeners(ApplicationGateway gateway, JsonObject properties)
    {
        foreach (var listener in gateway.HttpListeners)
        {
            Required(listener.FrontendIpConfigurationId, listener.Id, "frontendIPConfiguration");
            Required(listener.FrontendPortId, listener.Id, "frontendPort");
            var given = Item(properties, "httpListeners", listener.Id);
            HostNames.Validate(listener.Id, given.String("hostName"), given.Strings("hostNames"));
            if (listener.Protocol == ListenerProtocol.Https && listener.SslCertificateId is null)
                throw new ArmException("ApplicationGatewayHttpsListenerMustReferenceSslCert",
                    $"The HTTPS listener {listener.Id} must reference an SSL certificate.", listener.Id);
            if (listener.Protocol == ListenerProtocol.Http && listener.SslProfileId is not null)
                throw new ArmException("ApplicationGatewayHttpListenerCannotReferenceSslProfile",
                    $"The HTTP listener {listener.Id} cannot reference an SSL profile; only HTTPS listeners can.", listener.Id);
        }
    }

    private static void ValidateProfiles(ApplicationGateway gateway, JsonObject properties)
    {
        var policies = new List<(SslPolicy? Policy, string Target)> { (gateway.SslPolicy, $"{gateway.Id}/sslPolicy") };
        foreach (var profile in gateway.SslProfiles)
        {
            var mode = Item(properties, "sslProfiles", profile.Id).Object("clientAuthConfiguration").String("verifyClientAuthMode");
            if (profile.ClientAuthentication is null && mode == "Strict")
                throw new ArmException("ApplicationGatewaySslProfileStrictModeRequiresTrustedClientCertificates",
                    $"The SSL profile {profile.Id} verifies client certificates in Strict mode but trusts no client CA; add trustedClientCertificates or use Passthrough.", profile.Id);
            if (profile.SslPolicy is not null) policies.Add((profile.SslPolicy, profile.Id));
        }
        SslPolicies.ValidateTogether(policies);
    }

    private static void ValidateFrontendPorts(ApplicationGateway gateway)
    {
        foreach (var port in gateway.FrontendPorts)
            if (port.Port is < 1 or > 65199)
                throw new ArmException("ApplicationGatewayFrontendPortOutOfRange",
                    $"The frontend port {port.Id} has port {port.Port}; a v2 gateway listens on ports 1 to 65199.", port.Id);

        // One frontend IP and port serve one listener per host name; a listener without host names takes all the others.
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var listener in gateway.HttpListeners)
            foreach (var host in listener.HostNames.DefaultIfEmpty(""))
                if (!seen.TryAdd($"{listener.FrontendIpConfigurationId}|{listener.FrontendPortId}|{host}", listener.Id))
                    throw new ArmException("ApplicationGatewayHttpListenersUsingSameFrontendPortAndFrontendIpConfig",
                        $"The HTTP listeners {seen[$"{listener.FrontendIpConfigurationId}|{listener.FrontendPortId}|{host}"]} and {listener.Id} use the same frontend IP configuration, frontend port and host name '{host}'.", listener.Id);
    }

    private static void ValidateSku(ApplicationGateway gateway)
    {
        var tier = gateway.Sku.Tier;
        var v2 = tier.EndsWith("_v2", StringComparison.OrdinalIgnoreCase);
        if (v2 && gateway.Sku.Capacity is null && gateway.AutoscaleConfiguration is null)
            throw new ArmException("ApplicationGatewayV2SkuMustSpecifyEitherCapacityOrAutoscaleConfiguration",
                $"Application Gateway {gateway.Id} must specify either Capacity or AutoscaleConfiguration for the selected SKU tier {tier}.", gateway.Id);
        var maxInstances = v2 ? 125 : 32;
        if (gateway.Sku.Capacity is { } capacity && (capacity < 1 || capacity > maxInstances))
            throw new ArmException("ApplicationGatewayInvalidCapacity",
                $"Capacity {capacity} of Application Gateway {gateway.Id} is out of range; a {tier} gateway takes 1 to {maxInstances} instances.", gateway.Id);
        if (gateway.AutoscaleConfiguration is not { } autoscale) return;
        if (!v2)
            throw new ArmException("ApplicationGatewayAutoscaleConfigurationNotSupportedForSku",
                $"Application Gateway {gateway.Id} has an autoscale configuration; autoscaling needs a v2 SKU tier, not {tier}.", gateway.Id);
        if (autoscale.MinCapacity is < 0 or > 125 || autoscale.MaxCapacity is < 2 or > 125 || autoscale.MaxCapacity < autoscale.MinCapacity)
            throw new ArmException("ApplicationGatewayInvalidAutoscaleConfiguration",
                $"The autoscale configuration of Application Gateway {gateway.Id} (minCapacity {autoscale.MinCapacity}, maxCapacity {autoscale.MaxCapacity}) is out of range: minCapacity 0 to 125, maxCapacity 2 to 125 and not below minCapacity.", gateway.Id);
    }

    /// <summary>
    /// The subnet and public IP a gateway names must be given by resource id and exist, as ARM checks before it creates
    /// the gateway.
    /// </summary>
    private static void ValidateNeighbours(ApplicationGateway gateway, JsonObject properties, Func<string, ProvisionedResource?> lookup)
    {
        foreach (var (ipConfiguration, index) in properties.Objects("gatewayIPConfigurations").Select((c, i) => (c, i)))
        {
            var subnet = ipConfiguration.Properties().Reference("subnet");
            if (subnet is null) continue;
            FullyQualified(subnet, $"properties.gatewayIPConfigurations[{index}].properties.subnet.id", ipConfiguration.String("id")!);
            // A subnet is declared inside its virtual network or as a virtualNetworks/subnets resource of its own.
            var network = lookup(ResourceIds.Parent(subnet));
            var found = lookup(subnet) is not null
                || (network?.Body.Properties().Objects("subnets").Any(s => ResourceIds.Comparer.Equals(s.String("id"), subnet)) ?? false);
            if (!found)
                throw ReferenceNotFound(subnet, ipConfiguration.String("id")!);
        }
        foreach (var (frontend, index) in gateway.FrontendIpConfigurations.Select((f, i) => (f, i)))
        {
            if (frontend.PublicIpAddressId is not { } publicIp) continue;
            FullyQualified(publicIp, $"properties.frontendIPConfigurations[{index}].properties.publicIPAddress.id", frontend.Id);
            if (lookup(publicIp) is null)
                throw ReferenceNotFound(publicIp, frontend.Id);
        }
    }

    /// <summary>A reference to another resource is its full id (a template that passes a bare name gets ARM's error).</summary>
    private static void FullyQualified(string id, string path, string by)
    {
        if (!id.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase) && !id.StartsWith("/providers/", StringComparison.OrdinalIgnoreCase))
            throw new ArmException("LinkedInvalidPropertyId",
                $"Property id '{id}' at path '{path}' is invalid. Expect fully qualified resource Id that start with '/subscriptions/{{subscriptionId}}' or '/providers/{{resourceProviderNamespace}}/'.", by);
    }

    /// <summary>A reference the sub-resource cannot do without.</summary>
    public static void Required(string? referenced, string by, string property)
    {
        if (string.IsNullOrEmpty(referenced))
            throw new ArmException("InvalidRequestFormat", $"The resource {by} must reference its {property}.", by);
    }

    private static JsonObject Item(JsonObject properties, string collection, string id) =>
        properties.Objects(collection).Single(i => ResourceIds.Comparer.Equals(i.String("id"), id)).Properties();

    private static ArmException ReferenceNotFound(string referenced, string by) => new("InvalidResourceReference",
        $"Resource {referenced} referenced by resource {by} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.", by);
}
