using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.Errors;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

/// <summary>
/// Reads both forms Azure accepts into a <see cref="WafPolicy"/>, checking as it goes: every problem is added to the
/// list with its path, and anything Azure offers that cannot run here is refused by name rather than ignored.
/// </summary>
internal static class WafPolicyReader
{
    private static readonly int[] BlockStatuses = [200, 403, 405, 406, 429];

    /// <summary>A <c>Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies</c> resource's body.</summary>
    public static WafPolicy ReadPolicy(string id, JsonObject body, ArmErrorList errors)
    {
        var p = body.Properties();
        var owner = $"The web application firewall policy {id}";
        var settings = p.Object("policySettings");
        const string settingsPath = "properties.policySettings";
        var state = Enum<WafEnabledState>(settings, "state", settingsPath, errors) ?? WafEnabledState.Enabled;
        var mode = Enum<WafMode>(settings, "mode", settingsPath, errors) ?? WafMode.Detection;
        var maxBody = Ranged(settings, "maxRequestBodySizeInKb", settingsPath, 8, 2048, errors) ?? WafPolicySettings.DefaultBodyLimitInKb;
        var inspect = Ranged(settings, "requestBodyInspectLimitInKB", settingsPath, 8, 2048, errors) ?? maxBody;
        var upload = Ranged(settings, "fileUploadLimitInMb", settingsPath, 0, 4000, errors) ?? WafPolicySettings.DefaultFileUploadLimitInMb;
        var status = settings.Int("customBlockResponseStatusCode");
        if (status is { } code && !BlockStatuses.Contains(code))
            errors.Add(ArmErrors.WafBlockStatusNotAllowed($"{settingsPath}.customBlockResponseStatusCode", code));
        byte[]? blockBody = null;
        if (settings.String("customBlockResponseBody") is { } encoded)
        {
            try { blockBody = Convert.FromBase64String(encoded); }
            catch (FormatException) { errors.Add(ArmErrors.WafBlockBodyNotBase64($"{settingsPath}.customBlockResponseBody")); }
        }
        if (settings.Object("logScrubbing") is { } scrubbing && !"Disabled".Equals(scrubbing.String("state"), StringComparison.OrdinalIgnoreCase))
            errors.Add(ArmErrors.WafFeatureNotSupported($"{settingsPath}.logScrubbing", owner, "log scrubbing"));
        if (settings?["jsChallengeCookieExpirationInMins"] is not null)
            errors.Add(ArmErrors.WafFeatureNotSupported($"{settingsPath}.jsChallengeCookieExpirationInMins", owner, "the JavaScript challenge"));

        var managed = p.Object("managedRules");
        if (managed.Objects("exceptions").Any())
            errors.Add(ArmErrors.WafFeatureNotSupported("properties.managedRules.exceptions", owner, "managed rule exceptions"));
        var ruleSets = managed.Objects("managedRuleSets").ToList();
        var ruleSet = ReadRuleSets(ruleSets, owner, errors);
        var exclusions = managed.Objects("exclusions")
            .Select((e, i) => ReadExclusion(e, $"properties.managedRules.exclusions[{i}]", ruleSet, errors)).ToList();
        var customRules = p.Objects("customRules").Select((r, i) => ReadCustomRule(r, $"properties.customRules[{i}]", owner, errors)).ToList();
        CheckUnique(customRules, errors);

        return new WafPolicy(id, body.String("name") ?? ResourceIds.LastSegment(id),
            new WafPolicySettings(state == WafEnabledState.Enabled, mode, settings.Bool("requestBodyCheck") ?? true, inspect,
                settings.Bool("requestBodyEnforcement") ?? true, maxBody, settings.Bool("fileUploadEnforcement") ?? true, upload, status, blockBody),
            ruleSet ?? new WafManagedRuleSet(WafRuleSets.Owasp, "3.2", []),
            exclusions,
            [.. customRules.OrderBy(r => r.Priority)]);
    }

    /// <summary>A gateway's <c>webApplicationFirewallConfiguration</c>; the policy takes the gateway's id.</summary>
    public static WafPolicy ReadLegacy(string gatewayId, string gatewayName, JsonObject configuration, ArmErrorList errors)
    {
        const string path = "properties.webApplicationFirewallConfiguration";
        var owner = $"The application gateway {gatewayId}";
        var mode = Enum<WafMode>(configuration, "firewallMode", path, errors) ?? WafMode.Detection;
        var type = configuration.String("ruleSetType") ?? WafRuleSets.Owasp;
        var version = configuration.String("ruleSetVersion") ?? "3.2";
        var set = WafRuleSets.Find(type, version);
        var overrides = new List<WafRuleGroupOverride>();
        if (set is null)
            errors.Add(ArmErrors.WafRuleSetNotAvailable($"{path}.ruleSetVersion", owner, type, version, WafRuleSets.Available.Select(s => s.Name)));
        else
        {
            foreach (var (group, i) in configuration.Objects("disabledRuleGroups").Select((g, i) => (g, i)))
            {
                var groupPath = $"{path}.disabledRuleGroups[{i}]";
                if (Group(set, group.String("ruleGroupName"), groupPath, errors) is not { } known) continue;
                var rules = (group["rules"] as JsonArray ?? []).Select((r, j) => RuleId(r?.ToString(), known, $"{groupPath}.rules[{j}]", errors))
                    .OfType<int>().Select(r => new WafRuleOverride(r, false, null)).ToList();
                overrides.Add(new WafRuleGroupOverride(known.Name, rules));
            }
        }
        var maxBody = Ranged(configuration, "maxRequestBodySizeInKb", path, 8, 2048, errors)
            ?? Ranged(configuration, "maxRequestBodySize", path, 8, 128, errors) ?? WafPolicySettings.DefaultBodyLimitInKb;
        var upload = Ranged(configuration, "fileUploadLimitInMb", path, 0, 4000, errors) ?? WafPolicySettings.DefaultFileUploadLimitInMb;
        var exclusions = configuration.Objects("exclusions")
            .Select((e, i) => ReadExclusion(e, $"{path}.exclusions[{i}]", null, errors)).ToList();
        return new WafPolicy(gatewayId, gatewayName,
            new WafPolicySettings(configuration.Bool("enabled") ?? false, mode, configuration.Bool("requestBodyCheck") ?? true, maxBody,
                true, maxBody, true, upload, null, null),
            new WafManagedRuleSet(set?.Type ?? type, set?.Version ?? version, overrides),
            exclusions, [])
        {
            IsLegacyConfiguration = true,
        };
    }

    private static WafManagedRuleSet? ReadRuleSets(List<JsonObject> ruleSets, string owner, ArmErrorList errors)
    {
        WafManagedRuleSet? result = null;
        foreach (var (ruleSet, i) in ruleSets.Select((s, i) => (s, i)))
        {
            var path = $"properties.managedRules.managedRuleSets[{i}]";
            var type = ruleSet.String("ruleSetType") ?? "";
            var version = ruleSet.String("ruleSetVersion") ?? "";
            if (WafRuleSets.Find(type, version) is not { } set)
            {
                errors.Add(ArmErrors.WafRuleSetNotAvailable(path, owner, type, version, WafRuleSets.Available.Select(s => s.Name)));
                continue;
            }
            if (result is not null)
            {
                errors.Add(ArmErrors.WafManagedRuleSetCount(path, owner));
                continue;
            }
            var overrides = new List<WafRuleGroupOverride>();
            foreach (var (group, j) in ruleSet.Objects("ruleGroupOverrides").Select((g, j) => (g, j)))
            {
                var groupPath = $"{path}.ruleGroupOverrides[{j}]";
                if (Group(set, group.String("ruleGroupName"), groupPath, errors) is not { } known) continue;
                var rules = new List<WafRuleOverride>();
                foreach (var (rule, k) in group.Objects("rules").Select((r, k) => (r, k)))
                {
                    var rulePath = $"{groupPath}.rules[{k}]";
                    if (RuleId(rule.String("ruleId") ?? rule["ruleId"]?.ToString(), known, rulePath, errors) is not { } ruleId) continue;
                    var enabled = (Enum<WafEnabledState>(rule, "state", rulePath, errors) ?? WafEnabledState.Disabled) == WafEnabledState.Enabled;
                    WafManagedRuleAction? action = null;
                    if (rule.String("action") is { } actionName)
                    {
                        if (System.Enum.TryParse<WafManagedRuleAction>(actionName, ignoreCase: true, out var parsed)) action = parsed;
                        else errors.Add(ArmErrors.WafFeatureNotSupported($"{rulePath}.action", owner, $"the managed rule action {actionName}"));
                    }
                    if (rule.String("sensitivity") is { } sensitivity && !sensitivity.Equals("None", StringComparison.OrdinalIgnoreCase))
                        errors.Add(ArmErrors.WafFeatureNotSupported($"{rulePath}.sensitivity", owner, "rule sensitivity"));
                    rules.Add(new WafRuleOverride(ruleId, enabled, action));
                }
                overrides.Add(new WafRuleGroupOverride(known.Name, rules));
            }
            result = new WafManagedRuleSet(set.Type, set.Version, overrides);
        }
        if (result is null && errors.Count == 0)
            errors.Add(ArmErrors.WafManagedRuleSetCount("properties.managedRules.managedRuleSets", owner));
        return result;
    }

    private static WafExclusion ReadExclusion(JsonObject exclusion, string path, WafManagedRuleSet? ruleSet, ArmErrorList errors)
    {
        var variable = Enum<WafExclusionVariable>(exclusion, "matchVariable", path, errors) ?? WafExclusionVariable.RequestArgNames;
        var op = Enum<WafSelectorOperator>(exclusion, "selectorMatchOperator", path, errors) ?? WafSelectorOperator.Equals;
        var scopes = new List<WafExclusionScope>();
        foreach (var (scope, i) in exclusion.Objects("exclusionManagedRuleSets").Select((s, i) => (s, i)))
        {
            var scopePath = $"{path}.exclusionManagedRuleSets[{i}]";
            var set = WafRuleSets.Find(scope.String("ruleSetType"), scope.String("ruleSetVersion"));
            if (set is null || ruleSet is not null && !set.Name.Equals(WafRuleSets.Find(ruleSet.RuleSetType, ruleSet.RuleSetVersion)?.Name, StringComparison.Ordinal))
            {
                errors.Add(ArmErrors.WafRuleSetNotAvailable(scopePath, "The exclusion", scope.String("ruleSetType") ?? "", scope.String("ruleSetVersion") ?? "",
                    ruleSet is null ? WafRuleSets.Available.Select(s => s.Name) : [$"{ruleSet.RuleSetType}_{ruleSet.RuleSetVersion}"]));
                continue;
            }
            var groups = scope.Objects("ruleGroups").ToList();
            if (groups.Count == 0) scopes.Add(new WafExclusionScope(null, []));
            foreach (var (group, j) in groups.Select((g, j) => (g, j)))
            {
                var groupPath = $"{scopePath}.ruleGroups[{j}]";
                if (Group(set, group.String("ruleGroupName"), groupPath, errors) is not { } known) continue;
                var rules = group.Objects("rules").Select((r, k) => RuleId(r.String("ruleId") ?? r["ruleId"]?.ToString(), known, $"{groupPath}.rules[{k}]", errors))
                    .OfType<int>().ToList();
                scopes.Add(new WafExclusionScope(known.Name, rules));
            }
        }
        return new WafExclusion(variable, op, exclusion.String("selector") ?? "", scopes);
    }

    private static WafCustomRule ReadCustomRule(JsonObject rule, string path, string owner, ArmErrorList errors)
    {
        var name = rule.String("name") ?? "";
        var type = Enum<WafCustomRuleType>(rule, "ruleType", path, errors) ?? WafCustomRuleType.MatchRule;
        var actionName = rule.String("action");
        WafCustomAction action = WafCustomAction.Block;
        if (actionName is not null && !System.Enum.TryParse(actionName, ignoreCase: true, out action))
            errors.Add(actionName.Equals("JSChallenge", StringComparison.OrdinalIgnoreCase)
                ? ArmErrors.WafFeatureNotSupported($"{path}.action", owner, "the JavaScript challenge action")
                : ArmErrors.InvalidEnumValue($"{path}.action", actionName, System.Enum.GetNames<WafCustomAction>()));
        var conditions = rule.Objects("matchConditions").Select((c, i) => ReadCondition(c, $"{path}.matchConditions[{i}]", name, owner, errors)).ToList();
        var result = new WafCustomRule(name, rule.Int("priority") ?? 0,
            (Enum<WafEnabledState>(rule, "state", path, errors) ?? WafEnabledState.Enabled) == WafEnabledState.Enabled, type, conditions, action);
        if (type != WafCustomRuleType.RateLimitRule) return result;

        var duration = rule.String("rateLimitDuration") switch
        {
            { } d when d.Equals("OneMin", StringComparison.OrdinalIgnoreCase) => TimeSpan.FromMinutes(1),
            { } d when d.Equals("FiveMins", StringComparison.OrdinalIgnoreCase) => TimeSpan.FromMinutes(5),
            _ => TimeSpan.Zero,
        };
        var threshold = rule.Int("rateLimitThreshold") ?? 0;
        if (duration == TimeSpan.Zero || threshold < 1) errors.Add(ArmErrors.WafRateLimitSettingsMissing(path, name));
        var perClient = false;
        foreach (var (variable, i) in rule.Objects("groupByUserSession").SelectMany(g => g.Objects("groupByVariables")).Select((v, i) => (v.String("variableName"), i)))
        {
            if ("ClientAddr".Equals(variable, StringComparison.OrdinalIgnoreCase)) perClient = true;
            else if (!"None".Equals(variable, StringComparison.OrdinalIgnoreCase))
                errors.Add(ArmErrors.WafFeatureNotSupported($"{path}.groupByUserSession", owner, $"rate limits grouped by {variable}"));
        }
        return result with { RateLimitThreshold = threshold, RateLimitDuration = duration, RateLimitPerClientAddress = perClient };
    }

    private static WafMatchCondition ReadCondition(JsonObject condition, string path, string rule, string owner, ArmErrorList errors)
    {
        var variables = new List<WafMatchVariable>();
        foreach (var (variable, i) in condition.Objects("matchVariables").Select((v, i) => (v, i)))
        {
            var variablePath = $"{path}.matchVariables[{i}]";
            if (Enum<WafVariable>(variable, "variableName", variablePath, errors) is not { } name) continue;
            var selector = variable.String("selector");
            if (selector is null && name is WafVariable.RequestHeaders or WafVariable.RequestCookies)
                errors.Add(ArmErrors.WafSelectorRequired(variablePath, rule, name.ToString()));
            variables.Add(new WafMatchVariable(name, selector));
        }
        var operatorName = condition.String("operator");
        var op = WafOperator.Any;
        if (operatorName is not null && !System.Enum.TryParse(operatorName, ignoreCase: true, out op))
            errors.Add(operatorName.Equals("GeoMatch", StringComparison.OrdinalIgnoreCase)
                ? ArmErrors.WafFeatureNotSupported($"{path}.operator", owner, "the GeoMatch operator")
                : ArmErrors.InvalidEnumValue($"{path}.operator", operatorName, [.. System.Enum.GetNames<WafOperator>(), "GeoMatch"]));
        var values = condition.Strings("matchValues");
        if (op != WafOperator.Any && values.Count == 0) errors.Add(ArmErrors.WafMatchValuesRequired($"{path}.matchValues", rule, op.ToString()));
        foreach (var (value, i) in values.Select((v, i) => (v, i)))
            CheckValue(op, value, $"{path}.matchValues[{i}]", rule, errors);
        var transforms = condition.Strings("transforms").Select((t, i) => ParseEnum<WafTransform>(t, $"{path}.transforms[{i}]", errors)).OfType<WafTransform>().ToList();
        return new WafMatchCondition(variables, op, condition.Bool("negationConditon") ?? false, values, transforms);
    }

    private static void CheckValue(WafOperator op, string value, string path, string rule, ArmErrorList errors)
    {
        switch (op)
        {
            case WafOperator.IPMatch when !IPNetwork.TryParse(value, out _) && !IPAddress.TryParse(value, out _):
                errors.Add(ArmErrors.WafMatchValueInvalid(path, rule, op.ToString(), value, "give an IP address or a CIDR range"));
                break;
            case WafOperator.LessThan or WafOperator.GreaterThan or WafOperator.LessThanOrEqual or WafOperator.GreaterThanOrEqual
                when !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _):
                errors.Add(ArmErrors.WafMatchValueInvalid(path, rule, op.ToString(), value, "give an integer"));
                break;
            case WafOperator.Regex:
                try { _ = new Regex(value, RegexOptions.None, TimeSpan.FromSeconds(1)); }
                catch (ArgumentException e) { errors.Add(ArmErrors.WafMatchValueInvalid(path, rule, op.ToString(), value, e.Message)); }
                break;
        }
    }

    private static void CheckUnique(List<WafCustomRule> rules, ArmErrorList errors)
    {
        var byPriority = new Dictionary<int, string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (rule, i) in rules.Select((r, i) => (r, i)))
        {
            var path = $"properties.customRules[{i}]";
            if (!byPriority.TryAdd(rule.Priority, rule.Name))
                errors.Add(ArmErrors.WafCustomRulePriorityNotUnique($"{path}.priority", rule.Name, rule.Priority, byPriority[rule.Priority]));
            if (!names.Add(rule.Name)) errors.Add(ArmErrors.WafCustomRuleNameNotUnique($"{path}.name", rule.Name));
        }
    }

    private static WafRuleSets.RuleGroup? Group(WafRuleSets.RuleSet set, string? name, string path, ArmErrorList errors)
    {
        if (set.Group(name ?? "") is { } group) return group;
        errors.Add(ArmErrors.WafRuleGroupUnknown($"{path}.ruleGroupName", name ?? "", set.Name, set.Groups.Select(g => g.Name)));
        return null;
    }

    /// <summary>A rule id of the group (942100 in REQUEST-942-...); groups without CRS rules take any number, since nothing of them runs.</summary>
    private static int? RuleId(string? text, WafRuleSets.RuleGroup group, string path, ArmErrorList errors)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && (group.CrsFile is null || WafRuleSets.InGroup(group, id)))
            return id;
        errors.Add(ArmErrors.WafRuleNotInGroup($"{path}.ruleId", text ?? "", group.Name));
        return null;
    }

    private static int? Ranged(JsonObject? obj, string property, string path, int min, int max, ArmErrorList errors)
    {
        if (obj.Int(property) is not { } value) return null;
        if (value >= min && value <= max) return value;
        errors.Add(ArmErrors.WafValueOutOfRange($"{path}.{property}", property, value, min, max));
        return null;
    }

    private static T? Enum<T>(JsonObject? obj, string property, string path, ArmErrorList errors) where T : struct, System.Enum =>
        obj.String(property) is { } value ? ParseEnum<T>(value, $"{path}.{property}", errors) : null;

    private static T? ParseEnum<T>(string value, string path, ArmErrorList errors) where T : struct, System.Enum
    {
        if (System.Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed)) return parsed;
        errors.Add(ArmErrors.InvalidEnumValue(path, value, System.Enum.GetNames<T>()));
        return null;
    }

    private enum WafEnabledState { Disabled, Enabled }
}
