using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Gatehouse.Gateway.Waf;

/// <summary>
/// Debian's modsecurity-crs (OWASP CRS 3.3.4): where its setup and rule files are, and what each rule of the request
/// rule files declares (read once): its id, so that a group's exclusion can name its rules one by one, as ModSecurity
/// needs; and its severity and paranoia level, the score it adds when it matches.
/// </summary>
internal static partial class CrsRuleFiles
{
    public const string Setup = "/etc/modsecurity/crs/crs-setup.conf";
    public const string RulesDirectory = "/usr/share/modsecurity-crs/rules";

    /// <summary>One rule: <paramref name="Severity"/> in CRS's lower case (critical, error, warning, notice), null for a rule that scores nothing.</summary>
    public sealed record Rule(int Id, string? Severity, int ParanoiaLevel);

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
            // A chain's later links carry no id: their text stays with the rule that starts the chain.
            foreach (var statement in Statement().Split(File.ReadAllText(file).Replace("\\\n", " ", StringComparison.Ordinal)))
                if (RuleId().Match(statement) is { Success: true } id)
                    rules.TryAdd(int.Parse(id.Groups[1].ValueSpan), new Rule(int.Parse(id.Groups[1].ValueSpan),
                        Severity().Match(statement) is { Success: true } severity ? severity.Groups[1].Value.ToLowerInvariant() : null,
                        Paranoia().Match(statement) is { Success: true } level ? int.Parse(level.Groups[1].ValueSpan) : 1));
        return rules.ToFrozenDictionary();
    }

    [GeneratedRegex(@"\n(?=\s*Sec(?:Rule|Action|Marker)\b)")]
    private static partial Regex Statement();

    [GeneratedRegex(@"\bid:'?(\d{6})")]
    private static partial Regex RuleId();

    [GeneratedRegex(@"\bseverity:'?(\w+)")]
    private static partial Regex Severity();

    [GeneratedRegex(@"paranoia-level/(\d)")]
    private static partial Regex Paranoia();
}
