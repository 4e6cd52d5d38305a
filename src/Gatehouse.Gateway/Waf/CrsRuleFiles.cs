using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Gatehouse.Gateway.Waf;

/// <summary>
/// Debian's modsecurity-crs (OWASP CRS 3.3.4): where its setup and rule files are, and what each rule of the request
/// rule files declares (read once): its id, so that a group's exclusion can name its rules one by one, as ModSecurity
/// needs; its severity and paranoia level, the score it adds when it matches; and its message and whether it denies
/// by itself, as <c>applicationGatewayAvailableWafRuleSets</c> lists it.
/// </summary>
internal static partial class CrsRuleFiles
{
    public const string Setup = "/etc/modsecurity/crs/crs-setup.conf";
    public const string RulesDirectory = "/usr/share/modsecurity-crs/rules";

    /// <summary>
    /// One rule: <paramref name="Severity"/> in CRS's lower case (critical, error, warning, notice), null for a rule that
    /// scores nothing; <paramref name="Message"/> null for a rule that only steers the others (paranoia skips, settings).
    /// </summary>
    public sealed record Rule(int Id, string? Severity, int ParanoiaLevel, string? Message, bool Denies);

    private static readonly Lazy<FrozenDictionary<int, Rule>> RulesById = new(Read);

    private static readonly Lazy<FrozenDictionary<int, int[]>> IdsByFile = new(() => RulesById.Value.Keys
        .GroupBy(id => id / 1000)
        .ToFrozenDictionary(g => g.Key, g => g.Order().ToArray()));

    /// <summary>The rule ids of the file whose ids start with <paramref name="crsFile"/> (942 -> 942100, 942101, ...).</summary>
    public static IReadOnlyList<int> RuleIds(int crsFile) => IdsByFile.Value.GetValueOrDefault(crsFile, []);

    public static Rule? Find(int id) => RulesById.Value.GetValueOrDefault(id);

    private static FrozenDictionary<int, Rule> Read()
    {
        if (!Directory.Exists(RulesDirectory)) return FrozenDictionary<int, Rule>.Empty;
        var rules = new Dictionary<int, Rule>();
        foreach (var file in Directory.EnumerateFiles(RulesDirectory, "REQUEST-*.conf"))
            foreach (var rule in Declared(File.ReadAllText(file)))
                rules.TryAdd(rule.Id, rule);
        return rules.ToFrozenDictionary();
    }

    /// <summary>
    /// The rules the engine runs for every policy, in id order: the request body checks Gatehouse sets before CRS
    /// (Azure's General group) and the CRS request rules at the paranoia level Azure runs; rules with no message are left out.
    /// </summary>
    public static IReadOnlyList<Rule> Running() =>
        [.. Declared(WafRuleText.EngineSettings).Concat(RulesById.Value.Values)
            .Where(rule => rule.Message is not null && rule.ParanoiaLevel <= WafRuleText.ParanoiaLevel)
            .OrderBy(rule => rule.Id)];

    /// <summary>The rules <paramref name="text"/> (SecLang) declares, each with the text of its whole chain.</summary>
    private static IEnumerable<Rule> Declared(string text) =>
        // A chain's later links carry no id: their text stays with the rule that starts the chain.
        from statement in Statement().Split(text.Replace("\\\n", " ", StringComparison.Ordinal))
        let id = RuleId().Match(statement)
        where id.Success
        select new Rule(int.Parse(id.Groups[1].ValueSpan),
            Severity().Match(statement) is { Success: true } severity ? severity.Groups[1].Value.ToLowerInvariant() : null,
            Paranoia().Match(statement) is { Success: true } level ? int.Parse(level.Groups[1].ValueSpan) : 1,
            Message().Match(statement) is { Success: true } message ? message.Groups[1].Value : null,
            Deny().IsMatch(statement));

    [GeneratedRegex(@"\n(?=\s*Sec(?:Rule|Action|Marker)\b)")]
    private static partial Regex Statement();

    [GeneratedRegex(@"\bid:'?(\d{6})")]
    private static partial Regex RuleId();

    [GeneratedRegex(@"\bseverity:'?(\w+)")]
    private static partial Regex Severity();

    [GeneratedRegex(@"paranoia-level/(\d)")]
    private static partial Regex Paranoia();

    [GeneratedRegex(@"\bmsg:'((?:[^'\\]|\\.)*)'")]
    private static partial Regex Message();

    [GeneratedRegex(@"[\s,""]deny\b")]
    private static partial Regex Deny();
}
