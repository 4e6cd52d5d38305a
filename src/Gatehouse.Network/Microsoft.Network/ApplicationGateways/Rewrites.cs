using System.Collections.Frozen;
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

/// <summary>
/// How rewrite values and conditions name server variables: <c>var_</c> and one of <see cref="AvailableOptions.ServerVariables"/>,
/// or <c>var_cookie_NAME</c> for a request cookie. The data plane serves exactly these.
/// </summary>
public static partial class ServerVariableNames
{
    public const string CookiePrefix = "cookie_";

    private static readonly FrozenSet<string> Documented = AvailableOptions.ServerVariables.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsDocumented(string name) =>
        Documented.Contains(name) || (name.StartsWith(CookiePrefix, StringComparison.OrdinalIgnoreCase) && name.Length > CookiePrefix.Length);

    /// <summary>
    /// A rewrite value split as the data plane splits it: literal text, and the insides of <c>{...}</c> (a reference,
    /// which stays literal text there when it names no variable).
    /// </summary>
    public static IEnumerable<(string Text, bool IsReference)> Segments(string value)
    {
        var position = 0;
        while (position < value.Length)
        {
            var open = value.IndexOf('{', position);
            var close = open < 0 ? -1 : value.IndexOf('}', open + 1);
            if (close < 0)
            {
                yield return (value[position..], false);
                yield break;
            }
            if (open > position) yield return (value[position..open], false);
            yield return (value[(open + 1)..close], true);
            position = close + 1;
        }
    }

    /// <summary>
    /// For a reference <c>{name_N}</c> to group N of the match of one of the rule's conditions: that condition's index
    /// and N. Null for any other reference.
    /// </summary>
    public static (int Condition, int Group)? Capture(string reference, IReadOnlyList<string> conditionVariables)
    {
        if (CaptureReference().Match(reference) is not { Success: true } capture) return null;
        for (var i = 0; i < conditionVariables.Count; i++)
            if (conditionVariables[i] == capture.Groups["variable"].Value) return (i, int.Parse(capture.Groups["group"].ValueSpan));
        return null;
    }

    [GeneratedRegex(@"^(?<variable>.+)_(?<group>[0-9]{1,2})$")]
    private static partial Regex CaptureReference();
}
