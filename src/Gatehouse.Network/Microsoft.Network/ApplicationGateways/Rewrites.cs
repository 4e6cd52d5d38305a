using System.Text.RegularExpressions;

namespace Gatehouse.Network.ApplicationGateways;

public sealed record RewriteRuleSet(string Id, string Name, IReadOnlyList<RewriteRule> RewriteRules);

/// <summary>A rewrite rule: applies when every condition holds (none = always), lower sequence first.</summary>
public sealed record RewriteRule(
    string Name,
    int RuleSequence,
    IReadOnlyList<RewriteRuleCondition> Conditions,
    RewriteActionSet ActionSet);

/// <summary>
/// <see cref="Variable"/> is written as in ARM: <c>var_client_ip</c>, <c>http_req_Authorization</c>,
/// <c>http_resp_Location</c>; <see cref="Pattern"/> is a regular expression.
/// </summary>
public sealed record RewriteRuleCondition(string Variable, string Pattern, bool IgnoreCase, bool Negate)
{
    /// <summary>The prefixes a condition variable starts with: a server variable, a request header or a response header.</summary>
    public static readonly IReadOnlyList<string> VariablePrefixes = ["var_", "http_req_", "http_resp_"];

    /// <summary>
    /// <see cref="Pattern"/> as the data plane matches it. Azure's patterns are RE2; the non-backtracking engine has the
    /// same linear-time guarantee. Throws <see cref="ArgumentException"/> or <see cref="NotSupportedException"/> for a
    /// pattern it cannot take, which validation refuses.
    /// </summary>
    public Regex ToRegex(TimeSpan matchTimeout) => new(Pattern,
        RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (IgnoreCase ? RegexOptions.IgnoreCase : 0), matchTimeout);
}

public sealed record RewriteActionSet(
    IReadOnlyList<HeaderConfiguration> RequestHeaderConfigurations,
    IReadOnlyList<HeaderConfiguration> ResponseHeaderConfigurations)
{
    // Init-only so that code constructing the record positionally keeps compiling.
    public UrlConfiguration? UrlConfiguration { get; init; }
}

/// <summary>
/// Rewrites the URL sent to the backend: <c>null</c> path or query string leaves it unchanged. <see cref="Reroute"/>
/// re-evaluates the URL path map with the rewritten path.
/// </summary>
public sealed record UrlConfiguration(string? ModifiedPath, string? ModifiedQueryString, bool Reroute);

/// <summary>
/// Sets a header to <see cref="HeaderValue"/>, a template such as <c>{var_client_certificate}</c> or
/// <c>prefix-{http_req_Host}</c>. A value that is absent, empty, or evaluates to empty deletes the header.
/// </summary>
public sealed record HeaderConfiguration(string HeaderName, string? HeaderValue);
