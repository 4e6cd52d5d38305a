using System.Text.RegularExpressions;
using Gatehouse.Network.ApplicationGateways;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Gateway.Rewrites;

/// <summary>A rewriteRuleSet compiled: rules in ascending ruleSequence, conditions as compiled regexes, values as templates.</summary>
internal sealed class RewritePlan
{
    private readonly RewriteRulePlan[] _requestRules;
    private readonly RewriteRulePlan[] _responseRules;

    /// <summary>How many headers the request rules set when all of them match: the verdict's list never grows past it.</summary>
    private readonly int _requestActionCount;

    private RewritePlan(RewriteRulePlan[] rules)
    {
        _requestRules = [.. rules.Where(r => r.RequestActions.Length > 0 || r.Url is not null)];
        _responseRules = [.. rules.Where(r => r.ResponseActions.Length > 0)];
        _requestActionCount = _requestRules.Sum(r => r.RequestActions.Length);
    }

    public static RewritePlan None { get; } = new([]);

    public static RewritePlan Compile(RewriteRuleSet set) =>
        new([.. set.RewriteRules.OrderBy(r => r.RuleSequence).Select(r => RewriteRulePlan.Compile(r))]);

    /// <summary>The request headers these rules set from a <c>client_certificate*</c> variable.</summary>
    public IEnumerable<string> ClientCertificateHeaderNames =>
        _requestRules.SelectMany(r => r.RequestActions).Where(a => a.Value.ReadsClientCertificate).Select(a => a.HeaderName);

    /// <summary>
    /// The request rules' verdict for one request: header values in rule order and the URL changes, later rules
    /// overriding earlier ones. Evaluated before forwarding, because a rewritten path can pick another path rule.
    /// </summary>
    public RequestRewrite EvaluateRequest(RequestScope scope)
    {
        if (_requestRules.Length == 0) return RequestRewrite.None;
        var headers = new List<KeyValuePair<string, string>>(_requestActionCount);
        string? path = null, query = null;
        var reroute = false;
        foreach (var rule in _requestRules)
        {
            if (!rule.TryMatch(scope, out var captures)) continue;
            foreach (var action in rule.RequestActions)
                headers.Add(new(action.HeaderName, action.Value.Evaluate(scope, captures)));
            if (rule.Url is not { } url) continue;
            path = url.Path?.Evaluate(scope, captures) ?? path;
            query = url.Query?.Evaluate(scope, captures) ?? query;
            reroute |= url.Reroute;
        }
        return new RequestRewrite(headers, path, query, reroute);
    }

    public void ApplyToResponse(RequestScope scope)
    {
        var headers = scope.Context.Response.Headers;
        foreach (var rule in _responseRules)
        {
            if (!rule.TryMatch(scope, out var captures)) continue;
            foreach (var action in rule.ResponseActions)
            {
                var value = action.Value.Evaluate(scope, captures);
                if (value.Length == 0) headers.Remove(action.HeaderName);
                else headers[action.HeaderName] = value;
            }
        }
    }
}

internal sealed record HeaderAction(string HeaderName, ValueTemplate Value);

/// <summary>An urlConfiguration: templates for the new path and query string (null keeps them), and whether the path map is consulted again.</summary>
internal sealed record UrlAction(ValueTemplate? Path, ValueTemplate? Query, bool Reroute);

internal sealed record RewriteCondition(ValueSource Variable, Regex Pattern, bool Negate);

internal sealed class RewriteRulePlan
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly RewriteCondition[] _conditions;

    private RewriteRulePlan(RewriteCondition[] conditions, HeaderAction[] requestActions, HeaderAction[] responseActions, UrlAction? url)
    {
        _conditions = conditions;
        RequestActions = requestActions;
        ResponseActions = responseActions;
        Url = url;
    }

    public HeaderAction[] RequestActions { get; }

    public HeaderAction[] ResponseActions { get; }

    public UrlAction? Url { get; }

    public static RewriteRulePlan Compile(RewriteRule rule)
    {
        var variables = rule.Conditions.Select(c => c.Variable).ToArray();
        var conditions = rule.Conditions.Select(c => new RewriteCondition(
            // The Network provider refused variables without a known prefix and patterns the engine cannot take.
            ValueSource.ParseVariable(c.Variable)!,
            c.ToRegex(MatchTimeout),
            c.Negate)).ToArray();
        HeaderAction[] Actions(IEnumerable<HeaderConfiguration> headers) =>
            [.. headers.Select(h => new HeaderAction(h.HeaderName, ValueTemplate.Parse(h.HeaderValue, variables)))];
        ValueTemplate? Template(string? text) => text is null ? null : ValueTemplate.Parse(text, variables);
        var url = rule.ActionSet.UrlConfiguration is { } configuration
            ? new UrlAction(Template(configuration.ModifiedPath), Template(configuration.ModifiedQueryString), configuration.Reroute)
            : null;
        return new(conditions, Actions(rule.ActionSet.RequestHeaderConfigurations), Actions(rule.ActionSet.ResponseHeaderConfigurations), url);
    }

    /// <summary>Every condition holds (none = always); the matches become the rule's captures.</summary>
    public bool TryMatch(RequestScope scope, out Match?[] captures)
    {
        captures = _conditions.Length == 0 ? [] : new Match?[_conditions.Length];
        for (var i = 0; i < _conditions.Length; i++)
        {
            var condition = _conditions[i];
            var match = Match(condition.Pattern, condition.Variable.Evaluate(scope, captures));
            if (match.Success == condition.Negate) return false;
            captures[i] = match.Success ? match : null;
        }
        return true;
    }

    private static Match Match(Regex pattern, string value)
    {
        try
        {
            return pattern.Match(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return System.Text.RegularExpressions.Match.Empty;
        }
    }
}
