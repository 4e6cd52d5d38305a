using System.Text.RegularExpressions;
using Gatehouse.Errors;
using static Gatehouse.Network.PropertyPaths;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>Azure's checks on routing: rules and their priorities, URL path maps, redirects, reroute (appgw-behaviour §2.4, §5.4-5.6).</summary>
internal static class RoutingValidator
{
    // Rule priorities are mandatory from this api-version on; before it a gateway gives all or none.
    private static readonly ApiVersion PriorityRequiredSince = new("2021-08-01");

    public static void Validate(ApplicationGateway gateway, ApiVersion apiVersion, ArmErrorList errors)
    {
        ValidateRules(gateway, apiVersion, errors);
        ValidatePathMaps(gateway, errors);
        ValidateLoadDistributionPolicies(gateway, errors);
        ValidateReroute(gateway, errors);
        ValidateRewriteConditions(gateway, errors);
        ValidateRewriteValues(gateway, errors);
    }

    /// <summary>A condition reads a server variable or a header, with a pattern the data plane can match (appgw-behaviour §2).</summary>
    private static void ValidateRewriteConditions(ApplicationGateway gateway, ArmErrorList errors)
    {
        foreach (var (set, setItem) in gateway.RewriteRuleSets.Select((s, i) => (s, Item("rewriteRuleSets", i))))
            foreach (var (rule, ruleItem) in set.RewriteRules.Select((r, i) => (r, Item(setItem, "rewriteRules", i))))
                foreach (var (condition, index) in rule.Conditions.Select((c, i) => (c, $"{ruleItem}.conditions[{i}]")))
                {
                    if (!RewriteRuleCondition.VariablePrefixes.Any(p => condition.Variable.StartsWith(p, StringComparison.Ordinal)))
                        errors.Add(ArmErrors.RewriteConditionVariableInvalid($"{index}.variable", condition.Variable, rule.Name));
                    else
                        ValidateServerVariable(condition.Variable, $"{index}.variable", errors);
                    try { condition.ToRegex(Regex.InfiniteMatchTimeout); }
                    catch (Exception e) when (e is ArgumentException or NotSupportedException)
                    {
                        errors.Add(ArmErrors.RewriteConditionPatternInvalid($"{index}.pattern", condition.Pattern, rule.Name, e.Message));
                    }
                }
    }

    /// <summary>Every <c>{var_...}</c> a rewrite value reads names a documented server variable.</summary>
    private static void ValidateRewriteValues(ApplicationGateway gateway, ArmErrorList errors)
    {
        foreach (var (set, setItem) in gateway.RewriteRuleSets.Select((s, i) => (s, Item("rewriteRuleSets", i))))
            foreach (var (rule, ruleItem) in set.RewriteRules.Select((r, i) => (r, Item(setItem, "rewriteRules", i))))
            {
                var conditionVariables = rule.Conditions.Select(c => c.Variable).ToList();
                var actions = $"{ruleItem}.actionSet";
                var values = rule.ActionSet.RequestHeaderConfigurations.Select((h, i) => (h.HeaderValue, $"{actions}.requestHeaderConfigurations[{i}].headerValue"))
                    .Concat(rule.ActionSet.ResponseHeaderConfigurations.Select((h, i) => (h.HeaderValue, $"{actions}.responseHeaderConfigurations[{i}].headerValue")))
                    .Append((rule.ActionSet.UrlConfiguration?.ModifiedPath, $"{actions}.urlConfiguration.modifiedPath"))
                    .Append((rule.ActionSet.UrlConfiguration?.ModifiedQueryString, $"{actions}.urlConfiguration.modifiedQueryString"));
                foreach (var (value, path) in values)
                    foreach (var (reference, _) in ServerVariableNames.Segments(value ?? "").Where(s => s.IsReference))
                        if (ServerVariableNames.Capture(reference, conditionVariables) is null)
                            ValidateServerVariable(reference, path, errors);
            }
    }

    private static void ValidateServerVariable(string reference, string path, ArmErrorList errors)
    {
        if (reference.StartsWith("var_", StringComparison.Ordinal) && !ServerVariableNames.IsDocumented(reference[4..]))
            errors.Add(ArmErrors.ServerVariableNotSupported(path, reference[4..]));
    }

    private static void ValidateRules(ApplicationGateway gateway, ApiVersion apiVersion, ArmErrorList errors)
    {
        var rules = gateway.RequestRoutingRules;
        var withPriority = rules.Count(r => r.Priority != 0);
        var prioritiesOptional = apiVersion < PriorityRequiredSince;
        if (prioritiesOptional && withPriority > 0 && withPriority < rules.Count)
        {
            var index = rules.ToList().FindIndex(r => r.Priority == 0);
            errors.Add(ArmErrors.RulePrioritiesPartial(Of(Item("requestRoutingRules", index), "priority"), rules[index].Id));
        }

        var listeners = new HashSet<string>(ResourceIds.Comparer);
        var priorities = new Dictionary<int, string>();
        foreach (var (rule, item) in rules.Select((r, i) => (r, Item("requestRoutingRules", i))))
        {
            ApplicationGatewayValidator.Required(rule.HttpListenerId, rule.Id, item, "httpListener", errors);
            if (rule.Priority == 0 && !prioritiesOptional)
                errors.Add(ArmErrors.RulePriorityMissing(Of(item, "priority"), rule.Id));
            if (rule.Priority != 0 && rule.Priority is < 1 or > 20000)
                errors.Add(ArmErrors.RulePriorityOutOfRange(Of(item, "priority"), rule.Id, rule.Priority));
            else if (rule.Priority != 0 && !priorities.TryAdd(rule.Priority, rule.Id))
                errors.Add(ArmErrors.RulePriorityNotUnique(Of(item, "priority"), rule.Id, priorities[rule.Priority], rule.Priority));
            if (!string.IsNullOrEmpty(rule.HttpListenerId) && !listeners.Add(rule.HttpListenerId))
                errors.Add(ArmErrors.ListenerUsedBySeveralRules(Of(item, "httpListener"), rule.HttpListenerId));
            if (rule.RuleType == RoutingRuleType.PathBasedRouting && rule.UrlPathMapId is null)
                errors.Add(ArmErrors.PathBasedRuleWithoutUrlPathMap(Of(item, "urlPathMap"), rule.Id));
            if (rule.RuleType == RoutingRuleType.Basic && !BackendOrRedirect(rule.BackendAddressPoolId ?? rule.LoadDistributionPolicyId, rule.BackendHttpSettingsId, rule.RedirectConfigurationId))
                errors.Add(ArmErrors.RuleWithoutBackendOrRedirect(item, rule.Id));
        }
    }

    private static void ValidatePathMaps(ApplicationGateway gateway, ArmErrorList errors)
    {
        foreach (var (map, item) in gateway.UrlPathMaps.Select((m, i) => (m, Item("urlPathMaps", i))))
        {
            if (!BackendOrRedirect(map.DefaultBackendAddressPoolId ?? map.DefaultLoadDistributionPolicyId, map.DefaultBackendHttpSettingsId, map.DefaultRedirectConfigurationId))
                errors.Add(ArmErrors.UrlPathMapWithoutDefaultBackendOrRedirect(item, map.Id));
            foreach (var (rule, ruleItem) in map.PathRules.Select((r, i) => (r, Item(item, "pathRules", i))))
            {
                if (rule.Paths.Count == 0 || rule.Paths.Any(p => !p.StartsWith('/')))
                    errors.Add(ArmErrors.PathRuleInvalidPaths(Of(ruleItem, "paths"), rule.Id));
                if (!BackendOrRedirect(rule.BackendAddressPoolId ?? rule.LoadDistributionPolicyId, rule.BackendHttpSettingsId, rule.RedirectConfigurationId))
                    errors.Add(ArmErrors.PathRuleWithoutBackendOrRedirect(ruleItem, rule.Id));
            }
        }
        foreach (var (redirect, item) in gateway.RedirectConfigurations.Select((r, i) => (r, Item("redirectConfigurations", i))))
        {
            if ((redirect.TargetListenerId is null) == (redirect.TargetUrl is null))
                errors.Add(ArmErrors.RedirectTargetNotOne(item, redirect.Id));
            // The redirect needs one host to send the client to (appgw-behaviour §5.3).
            var target = gateway.HttpListeners.FirstOrDefault(l => ResourceIds.Comparer.Equals(l.Id, redirect.TargetListenerId));
            if (target is not null && (target.HostNames.Count > 1 || target.HostNames.Any(h => h.IndexOfAny(['*', '?']) >= 0)))
                errors.Add(ArmErrors.RedirectTargetListenerHostNames(Of(item, "targetListener"), redirect.Id, target.Id));
        }
    }

    /// <summary>A policy spreads over at least one target, each a pool with a weight from 1 to 100 per member.</summary>
    private static void ValidateLoadDistributionPolicies(ApplicationGateway gateway, ArmErrorList errors)
    {
        foreach (var (policy, item) in gateway.LoadDistributionPolicies.Select((p, i) => (p, Item("loadDistributionPolicies", i))))
        {
            if (policy.Targets.Count == 0)
                errors.Add(ArmErrors.LoadDistributionPolicyWithoutTargets(Of(item, "loadDistributionTargets"), policy.Id));
            foreach (var (target, targetItem) in policy.Targets.Select((t, i) => (t, Item(item, "loadDistributionTargets", i))))
            {
                if (target.BackendAddressPoolId is null)
                    errors.Add(ArmErrors.LoadDistributionTargetWithoutPool(Of(targetItem, "backendAddressPool"), target.Id));
                if (target.WeightPerServer is < 1 or > LoadDistributionTarget.MaxWeight)
                    errors.Add(ArmErrors.LoadDistributionWeightOutOfRange(Of(targetItem, "weightPerServer"), target.Id, target.WeightPerServer));
            }
        }
    }

    /// <summary>A rewrite set that re-evaluates the path map cannot serve a Basic rule, which has none (appgw-behaviour §2.4).</summary>
    private static void ValidateReroute(ApplicationGateway gateway, ArmErrorList errors)
    {
        var rerouting = gateway.RewriteRuleSets
            .Where(set => set.RewriteRules.Any(r => r.ActionSet.UrlConfiguration?.Reroute == true))
            .Select(set => set.Id)
            .ToHashSet(ResourceIds.Comparer);
        foreach (var (rule, item) in gateway.RequestRoutingRules.Select((r, i) => (r, Item("requestRoutingRules", i))))
            if (rule.RuleType == RoutingRuleType.Basic && rule.RewriteRuleSetId is { } set && rerouting.Contains(set))
                errors.Add(ArmErrors.RerouteOnBasicRule(Of(item, "rewriteRuleSet"), rule.Id, set));
    }

    /// <summary>Either a pool (or a load distribution policy in its place) and settings together, or a redirect, and not both.</summary>
    private static bool BackendOrRedirect(string? pool, string? settings, string? redirect)
    {
        var backend = pool is not null && settings is not null;
        return backend != (redirect is not null) && (backend || (pool ?? settings) is null);
    }
}
