using System.Globalization;
using System.Text.Json.Nodes;

namespace Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

/// <summary>
/// The managed rule sets Gatehouse runs, all on OWASP CRS 3.3.4 (Debian's modsecurity-crs) at paranoia level 1 with
/// anomaly threshold 5: OWASP 3.0, 3.1 and 3.2, and Microsoft_DefaultRuleSet 2.1 (derived from CRS 3.3). Each group
/// maps to its CRS rule file, by the three digits every rule id of the file starts with; Microsoft's own groups
/// (threat intelligence, Known-CVEs) have no CRS rules, so overriding them can only disable what does not run.
/// </summary>
public static class WafRuleSets
{
    public const string Owasp = "OWASP";
    public const string MicrosoftDefault = "Microsoft_DefaultRuleSet";

    public sealed record RuleGroup(string Name, int? CrsFile, string Description);

    /// <summary>A rule the engine runs: its id, its message, and Azure's action for it (AnomalyScoring or Block).</summary>
    public sealed record ManagedRule(int RuleId, string Description, string Action);

    public sealed record RuleSet(string Type, string Version, IReadOnlyList<RuleGroup> Groups)
    {
        public RuleGroup? Group(string name) => Groups.FirstOrDefault(g => g.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

        public string Name => $"{Type}_{Version}";
    }

    private static readonly RuleGroup[] OwaspGroups =
    [
        new("General", 200, "Request body parsing and engine checks"),
        new("REQUEST-911-METHOD-ENFORCEMENT", 911, "Method enforcement"),
        new("REQUEST-913-SCANNER-DETECTION", 913, "Scanner detection"),
        new("REQUEST-920-PROTOCOL-ENFORCEMENT", 920, "Protocol enforcement"),
        new("REQUEST-921-PROTOCOL-ATTACK", 921, "Protocol attack"),
        new("REQUEST-930-APPLICATION-ATTACK-LFI", 930, "Local file inclusion"),
        new("REQUEST-931-APPLICATION-ATTACK-RFI", 931, "Remote file inclusion"),
        new("REQUEST-932-APPLICATION-ATTACK-RCE", 932, "Remote command execution"),
        new("REQUEST-933-APPLICATION-ATTACK-PHP", 933, "PHP injection"),
        new("REQUEST-941-APPLICATION-ATTACK-XSS", 941, "Cross-site scripting"),
        new("REQUEST-942-APPLICATION-ATTACK-SQLI", 942, "SQL injection"),
        new("REQUEST-943-APPLICATION-ATTACK-SESSION-FIXATION", 943, "Session fixation"),
    ];

    private static readonly RuleGroup[] OwaspLaterGroups =
    [
        new("REQUEST-944-APPLICATION-ATTACK-JAVA", 944, "Java attacks"),
        new("Known-CVEs", null, "Microsoft's rules for known CVEs (not part of CRS; not run here)"),
    ];

    private static readonly RuleGroup[] DefaultRuleSetGroups =
    [
        new("General", 200, "Request body parsing and engine checks"),
        new("METHOD-ENFORCEMENT", 911, "Method enforcement"),
        new("PROTOCOL-ENFORCEMENT", 920, "Protocol enforcement"),
        new("PROTOCOL-ATTACK", 921, "Protocol attack"),
        new("LFI", 930, "Local file inclusion"),
        new("RFI", 931, "Remote file inclusion"),
        new("RCE", 932, "Remote command execution"),
        new("PHP", 933, "PHP injection"),
        new("NODEJS", 934, "Node.js attacks"),
        new("XSS", 941, "Cross-site scripting"),
        new("SQLI", 942, "SQL injection"),
        new("FIX", 943, "Session fixation"),
        new("JAVA", 944, "Java attacks"),
        new("MS-ThreatIntel-WebShells", null, "Microsoft threat intelligence (not run here)"),
        new("MS-ThreatIntel-AppSec", null, "Microsoft threat intelligence (not run here)"),
        new("MS-ThreatIntel-SQLI", null, "Microsoft threat intelligence (not run here)"),
        new("MS-ThreatIntel-CVEs", null, "Microsoft threat intelligence (not run here)"),
    ];

    public static readonly IReadOnlyList<RuleSet> Available =
    [
        new(Owasp, "3.0", OwaspGroups),
        new(Owasp, "3.1", [.. OwaspGroups, .. OwaspLaterGroups]),
        new(Owasp, "3.2", [.. OwaspGroups, .. OwaspLaterGroups]),
        new(MicrosoftDefault, "2.1", DefaultRuleSetGroups),
    ];

    public static RuleSet? Find(string? type, string? version) => Available.FirstOrDefault(s =>
        s.Type.Equals(type, StringComparison.OrdinalIgnoreCase) && s.Version.Equals(version, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The body of <c>GET .../applicationGatewayAvailableWafRuleSets</c>: the rule sets that run here, each with the
    /// groups that have <paramref name="running"/> rules and those rules (Microsoft's own groups are left out: nothing of them runs).
    /// </summary>
    public static JsonObject AvailableBody(IReadOnlyList<ManagedRule> running) => new()
    {
        ["value"] = new JsonArray([.. Available.Select(set => (JsonNode)new JsonObject
        {
            ["name"] = set.Name,
            ["id"] = $"/subscriptions//resourceGroups//providers/Microsoft.Network/applicationGatewayAvailableWafRuleSets/{set.Name}",
            ["type"] = "Microsoft.Network/applicationGatewayAvailableWafRuleSets",
            ["properties"] = new JsonObject
            {
                ["provisioningState"] = "Succeeded",
                ["ruleSetType"] = set.Type,
                ["ruleSetVersion"] = set.Version,
                ["ruleGroups"] = new JsonArray([.. set.Groups
                    .Select(g => (Group: g, Rules: running.Where(rule => InGroup(g, rule.RuleId)).ToList()))
                    .Where(g => g.Rules.Count > 0)
                    .Select(g => (JsonNode)new JsonObject
                    {
                        ["ruleGroupName"] = g.Group.Name,
                        ["description"] = g.Group.Description,
                        ["rules"] = new JsonArray([.. g.Rules.Select(rule => (JsonNode)new JsonObject
                        {
                            ["ruleId"] = rule.RuleId,
                            ["ruleIdString"] = rule.RuleId.ToString(CultureInfo.InvariantCulture),
                            ["description"] = rule.Description,
                            ["state"] = "Enabled",
                            ["action"] = rule.Action,
                        })]),
                    })]),
            },
        })]),
    };

    /// <summary>The group a rule id belongs to by its CRS file (942100 -> 942).</summary>
    public static bool InGroup(RuleGroup group, int ruleId) => group.CrsFile is { } file && ruleId / 1000 == file;
}
