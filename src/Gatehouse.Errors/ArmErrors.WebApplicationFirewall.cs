namespace Gatehouse.Errors;

/// <summary>Errors about web application firewall policies and a gateway's webApplicationFirewallConfiguration.</summary>
public static partial class ArmErrors
{
    public static ArmError WafRuleSetNotAvailable(string path, string owner, string type, string version, IEnumerable<string> available) =>
        new("ApplicationGatewayFirewallRuleSetNotAvailable",
            $"The managed rule set {type} {version} of {owner} cannot run here. Available rule sets (run on OWASP CRS 3.3.4): {string.Join(", ", available)}.", path);

    public static ArmError WafRuleGroupUnknown(string path, string group, string ruleSet, IEnumerable<string> groups) =>
        new("ApplicationGatewayFirewallRuleGroupNotFound",
            $"The rule group '{group}' does not exist in rule set {ruleSet}. Its groups are: {string.Join(", ", groups)}.", path);

    public static ArmError WafRuleNotInGroup(string path, string ruleId, string group) =>
        new("ApplicationGatewayFirewallRuleNotFound", $"The rule '{ruleId}' is not a rule of the rule group '{group}'.", path);

    /// <summary>A feature that Azure offers but that needs something this machine does not have (Microsoft's feeds, geolocation).</summary>
    public static ArmError WafFeatureNotSupported(string path, string owner, string feature) =>
        new("ApplicationGatewayFirewallFeatureNotSupportedLocally",
            $"{owner} uses {feature}, which cannot run here: Gatehouse runs the OWASP Core Rule Set in ModSecurity and has no Microsoft threat-intelligence, bot or geolocation data. Remove it to deploy.", path);

    public static ArmError WafValueOutOfRange(string path, string property, long value, long min, long max) =>
        new("ApplicationGatewayFirewallValueOutOfRange", $"The value {value} of {property} is out of range: it must be between {min} and {max}.", path);

    public static ArmError WafBlockStatusNotAllowed(string path, int status) =>
        new("ApplicationGatewayFirewallCustomBlockResponseStatusCodeInvalid",
            $"The custom block response status code {status} is not allowed; use 200, 403, 405, 406 or 429.", path);

    public static ArmError WafBlockBodyNotBase64(string path) =>
        new("ApplicationGatewayFirewallCustomBlockResponseBodyInvalid", "The custom block response body must be base64-encoded.", path);

    public static ArmError WafCustomRulePriorityNotUnique(string path, string rule, int priority, string other) =>
        new("ApplicationGatewayFirewallCustomRulePriorityNotUnique",
            $"The custom rules '{rule}' and '{other}' both have priority {priority}; priorities must be unique within a policy.", path);

    public static ArmError WafCustomRuleNameNotUnique(string path, string rule) =>
        new("ApplicationGatewayFirewallCustomRuleNameNotUnique", $"More than one custom rule is named '{rule}'; names must be unique within a policy.", path);

    public static ArmError WafRateLimitSettingsMissing(string path, string rule) =>
        new("ApplicationGatewayFirewallRateLimitRuleInvalid",
            $"The rate limit rule '{rule}' must give rateLimitDuration (OneMin or FiveMins) and a rateLimitThreshold of at least 1.", path);

    public static ArmError WafMatchValuesRequired(string path, string rule, string op) =>
        new("ApplicationGatewayFirewallMatchValuesRequired", $"A match condition of the custom rule '{rule}' uses operator {op}, which needs at least one match value.", path);

    public static ArmError WafMatchValueInvalid(string path, string rule, string op, string value, string reason) =>
        new("ApplicationGatewayFirewallMatchValueInvalid", $"The match value '{value}' of the custom rule '{rule}' is not valid for operator {op}: {reason}.", path);

    public static ArmError WafSelectorRequired(string path, string rule, string variable) =>
        new("ApplicationGatewayFirewallMatchVariableSelectorRequired", $"The match variable {variable} of the custom rule '{rule}' needs a selector (the header or cookie name).", path);

    public static ArmError WafManagedRuleSetCount(string path, string owner) =>
        new("ApplicationGatewayFirewallManagedRuleSetRequired",
            $"{owner} must have exactly one OWASP or Microsoft_DefaultRuleSet managed rule set.", path);

    public static ArmError WafNeedsWafSku(string path, string gatewayId, string tier) =>
        new("ApplicationGatewayFirewallNotSupportedForSku",
            $"The application gateway {gatewayId} of tier {tier} has a web application firewall configuration or policy; only the WAF_v2 tier runs one.", path);

    /// <summary>The engine refused the rules a policy compiled to; the message is ModSecurity's.</summary>
    public static ArmError WafRulesNotLoaded(string policyId, string message) =>
        new("ApplicationGatewayFirewallRulesNotLoaded", $"The web application firewall rules of {policyId} did not load: {message}", policyId);
}
