using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>Azure's checks on a whole gateway, with its error codes (appgw-behaviour.md §1.2, §5).</summary>
internal static class ApplicationGatewayValidator
{
    public static void Validate(ApplicationGateway gateway, JsonObject properties, Func<string, ProvisionedResource?> lookup)
    {
        var ids = new HashSet<string>(ResourceIds.Comparer);
        foreach (var collection in ApplicationGatewayProvisioner.Collections)
            foreach (var item in properties.Objects(collection))
                ids.Add(item.String("id")!);

        void Reference(string? referenced, string by, bool required = false, string? property = null)
        {
            if (string.IsNullOrEmpty(referenced))
            {
                if (required)
                    throw new ArmException("InvalidRequestFormat", $"The resource {by} must reference its {property}.", by);
                return;
            }
            if (!ids.Contains(referenced))
                throw ReferenceNotFound(referenced, by);
        }

        foreach (var listener in gateway.HttpListeners)
        {
            Reference(listener.FrontendIpConfigurationId, listener.Id, required: true, property: "frontendIPConfiguration");
            Reference(listener.FrontendPortId, listener.Id, required: true, property: "frontendPort");
            Reference(listener.SslCertificateId, listener.Id);
            Reference(listener.SslProfileId, listener.Id);
            if (listener.Protocol == ListenerProtocol.Https && listener.SslCertificateId is null)
                throw new ArmException("ApplicationGatewayHttpsListenerMustReferenceSslCert",
                    $"The HTTPS listener {listener.Id} must reference an SSL certificate.", listener.Id);
            if (listener.Protocol == ListenerProtocol.Http && listener.SslProfileId is not null)
                throw new ArmException("ApplicationGatewayHttpListenerCannotReferenceSslProfile",
                    $"The HTTP listener {listener.Id} cannot reference an SSL profile; only HTTPS listeners can.", listener.Id);
        }

        foreach (var profile in gateway.SslProfiles)
        {
            foreach (var trusted in profile.TrustedClientCertificateIds) Reference(trusted, profile.Id);
            if (profile.ClientAuthentication is null && StrictIsExplicit(properties, profile.Id))
                throw new ArmException("ApplicationGatewaySslProfileStrictModeRequiresTrustedClientCertificates",
                    $"The SSL profile {profile.Id} verifies client certificates in Strict mode but trusts no client CA; add trustedClientCertificates or use Passthrough.", profile.Id);
            SslPolicies.Resolve(profile.SslPolicy, profile.Id);
        }
        SslPolicies.Resolve(gateway.SslPolicy, $"{gateway.Id}/sslPolicy");

        ValidateRules(gateway, Reference);
        ValidateFrontendPorts(gateway);
        ValidateSku(gateway, properties);
        ValidateNeighbours(gateway, properties, lookup);
    }

    private static void ValidateRules(ApplicationGateway gateway, Action<string?, string, bool, string?> reference)
    {
        var listeners = new HashSet<string>(ResourceIds.Comparer);
        var priorities = new Dictionary<int, string>();
        foreach (var rule in gateway.RequestRoutingRules)
        {
            reference(rule.HttpListenerId, rule.Id, true, "httpListener");
            reference(rule.BackendAddressPoolId, rule.Id, false, null);
            reference(rule.BackendHttpSettingsId, rule.Id, false, null);
            reference(rule.RewriteRuleSetId, rule.Id, false, null);
            reference(rule.RedirectConfigurationId, rule.Id, false, null);
            reference(rule.UrlPathMapId, rule.Id, false, null);

            if (rule.Priority == 0)
                throw new ArmException("ApplicationGatewayRequestRoutingRulePriorityCannotBeEmpty",
                    $"Priority for the request routing rule {rule.Id} cannot be empty. All request routing rules should have a priority defined starting from api-version 2021-08-01", rule.Id);
            if (rule.Priority is < 1 or > 20000)
                throw new ArmException("ApplicationGatewayRequestRoutingRuleInvalidPriority",
                    $"Priority {rule.Priority} of the request routing rule {rule.Id} is out of range; it must be between 1 and 20000.", rule.Id);
            if (!priorities.TryAdd(rule.Priority, rule.Id))
                throw new ArmException("ApplicationGatewayRequestRoutingRulePriorityMustBeUnique",
                    $"Priority must be unique across all the request routing rules: {rule.Id} and {priorities[rule.Priority]} both have priority {rule.Priority}.", rule.Id);
            if (!listeners.Add(rule.HttpListenerId))
                throw new ArmException("ApplicationGatewayHttpListenerUsedByMultipleRequestRoutingRules",
                    $"The HTTP listener {rule.HttpListenerId} is used by more than one request routing rule; a listener belongs to one rule.", rule.Id);
            if (rule.RuleType == RoutingRuleType.Basic && rule.RedirectConfigurationId is null
                && (rule.BackendAddressPoolId is null || rule.BackendHttpSettingsId is null))
                throw new ArmException("ApplicationGatewayRequestRoutingRuleMustReferenceBackendOrRedirect",
                    $"The Basic request routing rule {rule.Id} must reference a backend address pool and backend HTTP settings, or a redirect configuration.", rule.Id);
        }
    }

    private static void ValidateFrontendPorts(ApplicationGateway gateway)
    {
        foreach (var port in gateway.FrontendPorts)
            if (port.Port is < 1 or > 65199)
                throw new ArmException("ApplicationGatewayFrontendPortOutOfRange",
                    $"The frontend port {port.Id} has port {port.Port}; a v2 gateway listens on ports 1 to 65199.", port.Id);

        var seen = new Dictionary<(string Port, string Host), string>();
        foreach (var listener in gateway.HttpListeners)
            foreach (var host in listener.HostNames.DefaultIfEmpty(""))
                if (!seen.TryAdd((listener.FrontendPortId.ToLowerInvariant(), host.ToLowerInvariant()), listener.Id))
                    throw new ArmException("ApplicationGatewayDuplicateHttpListener",
                        $"The HTTP listeners {seen[(listener.FrontendPortId.ToLowerInvariant(), host.ToLowerInvariant())]} and {listener.Id} use the same frontend port and host name '{host}'.", listener.Id);
    }

    private static void ValidateSku(ApplicationGateway gateway, JsonObject properties)
    {
        var tier = gateway.Sku.Tier;
        if (!tier.EndsWith("_v2", StringComparison.OrdinalIgnoreCase)) return;
        var autoscale = properties.Object("autoscaleConfiguration");
        if (gateway.Sku.Capacity is null && autoscale is null)
            throw new ArmException("ApplicationGatewayV2SkuMustSpecifyEitherCapacityOrAutoscaleConfiguration",
                $"Application Gateway {gateway.Id} must specify either Capacity or AutoscaleConfiguration for the selected SKU tier {tier}.", gateway.Id);
        if (gateway.Sku.Capacity is { } capacity && capacity is < 1 or > 125)
            throw new ArmException("ApplicationGatewayInvalidCapacity",
                $"Capacity {capacity} of Application Gateway {gateway.Id} is out of range; a v2 gateway takes 1 to 125 instances.", gateway.Id);
    }

    /// <summary>The subnet and public IP a gateway names must exist, as ARM checks before it creates the gateway.</summary>
    private static void ValidateNeighbours(ApplicationGateway gateway, JsonObject properties, Func<string, ProvisionedResource?> lookup)
    {
        foreach (var ipConfiguration in properties.Objects("gatewayIPConfigurations"))
        {
            var subnet = ipConfiguration.Properties().Reference("subnet");
            if (subnet is null) continue;
            var network = lookup(ResourceIds.Parent(subnet));
            var found = network?.Body.Properties().Objects("subnets").Any(s => ResourceIds.Comparer.Equals(s.String("id"), subnet)) ?? false;
            if (!found)
                throw ReferenceNotFound(subnet, ipConfiguration.String("id")!);
        }
        foreach (var frontend in gateway.FrontendIpConfigurations)
            if (frontend.PublicIpAddressId is { } publicIp && lookup(publicIp) is null)
                throw ReferenceNotFound(publicIp, frontend.Id);
    }

    private static bool StrictIsExplicit(JsonObject properties, string profileId) =>
        properties.Objects("sslProfiles")
            .Single(p => ResourceIds.Comparer.Equals(p.String("id"), profileId))
            .Properties().Object("clientAuthConfiguration").String("verifyClientAuthMode") == "Strict";

    private static ArmException ReferenceNotFound(string referenced, string by) => new("InvalidResourceReference",
        $"Resource {referenced} referenced by resource {by} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.", by);
}
