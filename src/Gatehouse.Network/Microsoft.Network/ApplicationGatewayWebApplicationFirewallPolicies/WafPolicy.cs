namespace Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

/// <summary>
/// A web application firewall policy as the data plane runs it: a <c>Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies</c>
/// resource, or a gateway's legacy <c>webApplicationFirewallConfiguration</c> read into the same shape (its id then
/// the gateway's). Validated: every rule set, group, operator and action here can run.
/// </summary>
public sealed record WafPolicy(
    string Id,
    string Name,
    WafPolicySettings Settings,
    WafManagedRuleSet ManagedRuleSet,
    IReadOnlyList<WafExclusion> Exclusions,
    IReadOnlyList<WafCustomRule> CustomRules)
{
    /// <summary>The legacy configuration on a gateway (Azure's <c>policyScope</c> is then the gateway itself).</summary>
    public bool IsLegacyConfiguration { get; init; }
}

/// <param name="CustomBlockResponseBody">Decoded from the policy's base64; null for Azure's own 403 page.</param>
public sealed record WafPolicySettings(
    bool Enabled,
    WafMode Mode,
    bool RequestBodyCheck,
    int RequestBodyInspectLimitInKb,
    bool RequestBodyEnforcement,
    int MaxRequestBodySizeInKb,
    bool FileUploadEnforcement,
    int FileUploadLimitInMb,
    int? CustomBlockResponseStatusCode,
    byte[]? CustomBlockResponseBody)
{
    public const int DefaultBodyLimitInKb = 128;
    public const int DefaultFileUploadLimitInMb = 100;
}

public enum WafMode { Detection, Prevention }

/// <summary>The one managed rule set a policy runs (Azure allows one OWASP/DRS set per policy).</summary>
public sealed record WafManagedRuleSet(string RuleSetType, string RuleSetVersion, IReadOnlyList<WafRuleGroupOverride> RuleGroupOverrides);

/// <summary>A group with no rules listed is disabled whole.</summary>
public sealed record WafRuleGroupOverride(string RuleGroupName, IReadOnlyList<WafRuleOverride> Rules);

/// <param name="Action">Null keeps the rule's own action (anomaly scoring).</param>
public sealed record WafRuleOverride(int RuleId, bool Enabled, WafManagedRuleAction? Action);

/// <summary>What a managed rule does when it matches: add to the anomaly score (CRS's way), or block at once.</summary>
/// <summary>
/// What a managed rule does when it matches: adds its severity's score (AnomalyScoring, the default), blocks at once
/// (Block), only logs the match (Log), or lets the request through without evaluating further rules (Allow).
/// Microsoft's JSChallenge needs its browser challenge service and is refused.
/// </summary>
public enum WafManagedRuleAction { AnomalyScoring, Allow, Block, Log }

/// <summary>
/// Request parts the managed rules do not inspect: <paramref name="MatchVariable"/> (RequestHeaderNames, ...) whose name
/// matches <paramref name="Selector"/>; for every managed rule, or only those of <paramref name="Scopes"/>.
/// </summary>
public sealed record WafExclusion(WafExclusionVariable MatchVariable, WafSelectorOperator SelectorMatchOperator, string Selector, IReadOnlyList<WafExclusionScope> Scopes);

/// <summary>A rule group, or some of its rules, that an exclusion applies to; no group means the whole rule set.</summary>
public sealed record WafExclusionScope(string? RuleGroupName, IReadOnlyList<int> RuleIds);

public enum WafExclusionVariable
{
    RequestHeaderNames, RequestCookieNames, RequestArgNames,
    RequestHeaderKeys, RequestHeaderValues, RequestCookieKeys, RequestCookieValues, RequestArgKeys, RequestArgValues,
}

public enum WafSelectorOperator { Equals, Contains, StartsWith, EndsWith, EqualsAny }

/// <summary>A custom rule: all <paramref name="Conditions"/> must hold (for a RateLimitRule, to count the request).</summary>
public sealed record WafCustomRule(
    string Name,
    int Priority,
    bool Enabled,
    WafCustomRuleType RuleType,
    IReadOnlyList<WafMatchCondition> Conditions,
    WafCustomAction Action)
{
    public int RateLimitThreshold { get; init; }
    public TimeSpan RateLimitDuration { get; init; }

    /// <summary>Whether a RateLimitRule counts each client address apart (ClientAddr) or all requests together (None).</summary>
    public bool RateLimitPerClientAddress { get; init; }
}

public enum WafCustomRuleType { MatchRule, RateLimitRule }

public enum WafCustomAction { Allow, Block, Log }

/// <summary>True when any of <paramref name="Variables"/> satisfies <paramref name="Operator"/> against any of <paramref name="Values"/> (then negated if asked).</summary>
public sealed record WafMatchCondition(
    IReadOnlyList<WafMatchVariable> Variables,
    WafOperator Operator,
    bool Negate,
    IReadOnlyList<string> Values,
    IReadOnlyList<WafTransform> Transforms);

public sealed record WafMatchVariable(WafVariable Name, string? Selector);

public enum WafVariable { RemoteAddr, RequestMethod, QueryString, PostArgs, RequestUri, RequestHeaders, RequestBody, RequestCookies }

public enum WafOperator
{
    Any, IPMatch, Equal, Contains, LessThan, GreaterThan, LessThanOrEqual, GreaterThanOrEqual, BeginsWith, EndsWith, Regex,
}

public enum WafTransform { Uppercase, Lowercase, Trim, UrlDecode, UrlEncode, RemoveNulls, HtmlEntityDecode }
