using Gatehouse.Errors;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>Azure's checks on routing: rules and their priorities, URL path maps, redirects, reroute (appgw-behaviour §2.4, §5.4-5.6).</summary>
internal static class RoutingValidator
{
    // Rule priorities are mandatory from this api-version on; before it a gateway gives all or none.
    private static readonly ApiVersion PriorityRequiredSince = new("2021-08-01");

    public static void Validate(ApplicationGateway gateway, ApiVersion apiVersion)
    {
        ValidateRules(gateway, apiVersion);
        ValidatePathMaps(gateway);
        ValidateReroute(gateway);
    }

    private static void ValidateRules(ApplicationGateway gateway, ApiVersion apiVersion)
    {
        var rules = gateway.RequestRoutingRules;
        var withPriority = rules.Count(r => r.Priority != 0);
        var prioritiesOptional = apiVersion < PriorityRequiredSince;
        if (prioritiesOptional && withPriority > 0 && withPriority < rules.Count)
        {
            var rule = rules.First(r => r.Priority == 0);
            throw new ArmException("ApplicationGatewayRequestRoutingRulePartialPriorityDefined",
                $"Either all or no rule should have the priority specified; the request routing rule {rule.Id} has none.", rule.Id);
        }

        var listeners = new HashSet<string>(ResourceIds.Comparer);
        var priorities = new Dictionary<int, string>();
        foreach (var rule in rules)
        {
            ApplicationGatewayValidator.Required(rule.HttpListenerId, rule.Id, "httpListener");
            if (rule.Priority == 0 && !prioritiesOptional)
                throw new ArmException("ApplicationGatewayRequestRoutingRulePriorityCannotBeEmpty",
                    $"Priority for the request routing rule {rule.Id} cannot be empty. All request routing rules should have a priority defined starting from api-version 2021-08-01", rule.Id);
            if (rule.Priority != 0 && rule.Priority is < 1 or > 20000)
                throw new ArmException("ApplicationGatewayRequestRoutingRuleInvalidPriority",
                    $"Priority {rule.Priority} of the request routing rule {rule.Id} is out of range; it must be between 1 and 20000.", rule.Id);
            if (rule.Priority != 0 && !priorities.TryAdd(rule.Priority, rule.Id))
                throw new ArmException("ApplicationGatewayRequestRoutingRulePriorityMustBeUnique",
                    $"Priority must be unique across all the request routing rules: {rule.Id} and {priorities[rule.Priority]} both have priority {rule.Priority}.", rule.Id);
            if (!listeners.Add(rule.HttpListenerId))
                throw new ArmException("ApplicationGatewayHttpListenerUsedByMultipleRequestRoutingRules",
                    $"The HTTP listener {rule.HttpListenerId} is used by more than one request routing rule; a listener belongs to one rule.", rule.Id);
            if (rule.RuleType == RoutingRuleType.PathBasedRouting && rule.UrlPathMapId is null)
                throw new ArmException("ApplicationGatewayPathBasedRequestRoutingRuleMustReferenceUrlPathMap",
                    $"The path-based request routing rule {rule.Id} must reference a URL path map.", rule.Id);
            if (rule.RuleType == RoutingRuleType.Basic)
                BackendOrRedirect(rule.BackendAddressPoolId, rule.BackendHttpSettingsId, rule.RedirectConfigurationId,
                    "ApplicationGatewayRequestRoutingRuleMustReferenceBackendOrRedirect", $"The Basic request routing rule {rule.Id}", rule.Id);
        }
    }

    private static void ValidatePathMaps(ApplicationGateway gateway)
    {
        foreach (var map in gateway.UrlPathMaps)
        {
            BackendOrRedirect(map.DefaultBackendAddressPoolId, map.DefaultBackendHttpSettingsId, map.DefaultRedirectConfigurationId,
                "ApplicationGatewayUrlPathMapMustSpecifyDefaultBackendOrRedirect", $"The URL path map {map.Id} (its defaults)", map.Id);
            foreach (var rule in map.PathRules)
            {
                if (rule.Paths.Count == 0 || rule.Paths.Any(p => !p.StartsWith('/')))
                    throw new ArmException("ApplicationGatewayPathRuleInvalidPath",
                        $"The path rule {rule.Id} must list paths, each starting with '/'.", rule.Id);
                BackendOrRedirect(rule.BackendAddressPoolId, rule.BackendHttpSettingsId, rule.RedirectConfigurationId,
                    "ApplicationGatewayPathRuleMustReferenceBackendOrRedirect", $"The path rule {rule.Id}", rule.Id);
            }
        }
        foreach (var redirect in gateway.RedirectConfigurations)
        {
            if ((redirect.TargetListenerId is null) == (redirect.TargetUrl is null))
                throw new ArmException("ApplicationGatewayRedirectConfigurationMustSpecifyTargetListenerOrTargetUrl",
                    $"The redirect configuration {redirect.Id} must specify exactly one of targetListener and targetUrl.", redirect.Id);
            // The redirect needs one host to send the client to (appgw-behaviour §5.3).
            var target = gateway.HttpListeners.FirstOrDefault(l => ResourceIds.Comparer.Equals(l.Id, redirect.TargetListenerId));
            if (target is not null && (target.HostNames.Count > 1 || target.HostNames.Any(h => h.IndexOfAny(['*', '?']) >= 0)))
                throw new ArmException("ApplicationGatewayRedirectTargetListenerCannotHaveWildcardOrMultipleHostNames",
                    $"The redirect configuration {redirect.Id} targets the listener {target.Id}, which has several or wildcard host names; a redirect target needs one host name.", redirect.Id);
        }
    }

    /// <summary>A rewrite set that re-evaluates the path map cannot serve a Basic rule, which has none (appgw-behaviour §2.4).</summary>
    private static void ValidateReroute(ApplicationGateway gateway)
    {
        var rerouting = gateway.RewriteRuleSets
            .Where(set => set.RewriteRules.Any(r => r.ActionSet.UrlConfiguration?.Reroute == true))
            .Select(set => set.Id)
            .ToHashSet(ResourceIds.Comparer);
        foreach (var rule in gateway.RequestRoutingRules)
            if (rule.RuleType == RoutingRuleType.Basic && rule.RewriteRuleSetId is { } set && rerouting.Contains(set))
                throw new ArmException("ApplicationGatewayRewriteRuleSetRerouteNotAllowedOnBasicRule",
                    $"The Basic request routing rule {rule.Id} uses the rewrite rule set {set}, which reroutes; reroute needs a path-based rule.", rule.Id);
    }

    private static void BackendOrRedirect(string? pool, string? settings, string? redirect, string code, string subject, string target)
    {
        var backend = pool is not null && settings is not null;
        if (backend == (redirect is not null) || (!backend && (pool ?? settings) is not null))
            throw new ArmException(code,
                $"{subject} must reference either a backend address pool and backend HTTP settings, or a redirect configuration.", target);
    }
}
