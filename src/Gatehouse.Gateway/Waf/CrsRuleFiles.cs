using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Gatehouse.Gateway.Waf;

/// <summary>
/// Debian's modsecurity-crs (OWASP CRS 3.3.4): where its setup and rule files are, and the rule ids each request rule
/// file declares (read once), so that a group's exclusion can name its rules one by one, as ModSecurity needs.
/// </summary>
internal static partial class CrsRuleFiles
{
    public const string Setup = "/etc/modsecurity/crs/crs-setup.conf";
    public const string RulesDirectory = "/usr/share/modsecurity-crs/rules";

    private static readonly Lazy<FrozenDictionary<int, int[]>> IdsByFile = new(ReadIds);

    /// <summary>The rule ids of the file whose ids start with <paramref name="crsFile"/> (942 -> 942100, 942101, ...).</summary>
    public static IReadOnlyList<int> RuleIds(int crsFile) => IdsByFile.Value.GetValueOrDefault(crsFile, []);

    private static FrozenDictionary<int, int[]> ReadIds()
    {
        if (!Directory.Exists(RulesDirectory)) return FrozenDictionary<int, int[]>.Empty;
        return Directory.EnumerateFiles(RulesDirectory, "REQUEST-*.conf")
            .SelectMany(file => RuleId().Matches(File.ReadAllText(file)).Select(m => int.Parse(m.Groups[1].ValueSpan)))
            .Distinct()
            .GroupBy(id => id / 1000)
            .ToFrozenDictionary(g => g.Key, g => g.Order().ToArray());
    }

    [GeneratedRegex(@"\bid:'?(\d{6})")]
    private static partial Regex RuleId();
}
