using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Gateway.Waf;

/// <summary>
/// A policy's custom rules, compiled once per plan (regular expressions and address ranges parsed) and evaluated in
/// priority order before the managed rules. A RateLimitRule counts the requests its conditions match, per client
/// address or all together, in a window that opens with the first request and lasts the rule's duration.
/// </summary>
internal sealed class WafCustomRules(IReadOnlyList<WafCustomRules.Rule> rules)
{
    public static WafCustomRules Compile(WafPolicy policy) =>
        new([.. policy.CustomRules.Where(r => r.Enabled).OrderBy(r => r.Priority).Select(r => new Rule(r, [.. r.Conditions.Select(Condition.Compile)]))]);

    public bool IsEmpty => rules.Count == 0;

    /// <summary>The rules that fire for the request, in priority order, up to and including the first Allow or Block.</summary>
    public IEnumerable<WafCustomRule> Evaluate(WafRequest request, long now)
    {
        foreach (var rule in rules)
        {
            if (!rule.Conditions.All(c => c.Matches(request))) continue;
            if (rule.Definition.RuleType == WafCustomRuleType.RateLimitRule && !rule.OverLimit(request, now)) continue;
            yield return rule.Definition;
            if (rule.Definition.Action != WafCustomAction.Log) yield break;
        }
    }

    internal sealed class Rule(WafCustomRule definition, IReadOnlyList<Condition> conditions)
    {
        // Windows of keys not seen for a while are dropped once this many are kept, so a flood of addresses stays bounded.
        private const int MaxKeys = 100_000;
        private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

        public WafCustomRule Definition { get; } = definition;

        public IReadOnlyList<Condition> Conditions { get; } = conditions;

        /// <summary>Counts the request; true when it is past the threshold of its window.</summary>
        public bool OverLimit(WafRequest request, long now)
        {
            var key = Definition.RateLimitPerClientAddress ? request.ClientIp : "";
            var duration = (long)Definition.RateLimitDuration.TotalMilliseconds;
            if (_windows.Count > MaxKeys)
                foreach (var (stale, window) in _windows)
                    if (now - window.Start >= duration) _windows.TryRemove(stale, out _);
            var current = _windows.GetOrAdd(key, _ => new Window(now));
            lock (current)
            {
                if (now - current.Start >= duration)
                {
                    current.Start = now;
                    current.Count = 0;
                }
                return ++current.Count > Definition.RateLimitThreshold;
            }
        }

        private sealed class Window(long start)
        {
            public long Start { get; set; } = start;
            public int Count { get; set; }
        }
    }

    internal sealed class Condition(WafMatchCondition definition, IReadOnlyList<IPNetwork> networks, IReadOnlyList<Regex> patterns, IReadOnlyList<double> numbers)
    {
        public static Condition Compile(WafMatchCondition c) => new(c,
            c.Operator == WafOperator.IPMatch ? [.. c.Values.Select(Network)] : [],
            c.Operator == WafOperator.Regex ? [.. c.Values.Select(v => new Regex(v, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))] : [],
            c.Operator is WafOperator.LessThan or WafOperator.GreaterThan or WafOperator.LessThanOrEqual or WafOperator.GreaterThanOrEqual
                ? [.. c.Values.Select(v => double.Parse(v, CultureInfo.InvariantCulture))] : []);

        public bool Matches(WafRequest request) =>
            definition.Variables.Any(v => Values(request, v).Any(value => Test(Transform(value)))) != definition.Negate;

        private bool Test(string value) => definition.Operator switch
        {
            WafOperator.Any => true,
            WafOperator.IPMatch => IPAddress.TryParse(value, out var address) && networks.Any(n => n.Contains(address)),
            WafOperator.Equal => definition.Values.Any(v => value.Equals(v, StringComparison.Ordinal)),
            WafOperator.Contains => definition.Values.Any(v => value.Contains(v, StringComparison.Ordinal)),
            WafOperator.BeginsWith => definition.Values.Any(v => value.StartsWith(v, StringComparison.Ordinal)),
            WafOperator.EndsWith => definition.Values.Any(v => value.EndsWith(v, StringComparison.Ordinal)),
            WafOperator.Regex => patterns.Any(p => p.IsMatch(value)),
            _ => double.TryParse(value, CultureInfo.InvariantCulture, out var number) && numbers.Any(n => definition.Operator switch
            {
                WafOperator.LessThan => number < n,
                WafOperator.GreaterThan => number > n,
                WafOperator.LessThanOrEqual => number <= n,
                _ => number >= n,
            }),
        };

        private string Transform(string value)
        {
            foreach (var transform in definition.Transforms)
                value = transform switch
                {
                    WafTransform.Lowercase => value.ToLowerInvariant(),
                    WafTransform.Uppercase => value.ToUpperInvariant(),
                    WafTransform.Trim => value.Trim(),
                    WafTransform.UrlDecode => Uri.UnescapeDataString(value.Replace('+', ' ')),
                    WafTransform.UrlEncode => Uri.EscapeDataString(value),
                    WafTransform.RemoveNulls => value.Replace("\0", "", StringComparison.Ordinal),
                    _ => WebUtility.HtmlDecode(value),
                };
            return value;
        }

        private static IEnumerable<string> Values(WafRequest request, WafMatchVariable variable)
        {
            var http = request.Context.Request;
            return variable.Name switch
            {
                WafVariable.RemoteAddr => [request.ClientIp],
                WafVariable.RequestMethod => [http.Method],
                WafVariable.QueryString => variable.Selector is { } name ? Strings(request.QueryArgument(name)) : [http.QueryString.Value?.TrimStart('?') ?? ""],
                WafVariable.PostArgs => variable.Selector is { } field
                    ? Strings(request.Form.GetValueOrDefault(field))
                    : request.Form.Values.SelectMany(Strings),
                WafVariable.RequestUri => [request.Uri],
                WafVariable.RequestHeaders => Strings(http.Headers[variable.Selector ?? ""]),
                WafVariable.RequestCookies => http.Cookies.TryGetValue(variable.Selector ?? "", out var cookie) ? [cookie] : [],
                _ => [request.BodyText],
            };
        }

        private static IEnumerable<string> Strings(StringValues values) => values.OfType<string>();

        private static IPNetwork Network(string value) =>
            IPNetwork.TryParse(value, out var network) ? network : new IPNetwork(IPAddress.Parse(value), IPAddress.Parse(value).GetAddressBytes().Length * 8);
    }
}
