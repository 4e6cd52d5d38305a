using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

namespace Gatehouse.Gateway.Waf;

/// <summary>
/// A policy's managed rules in ModSecurity's language: the engine settings Azure's WAF_v2 uses (anomaly scoring,
/// paranoia level 1, inbound threshold 5, request rules only), the body limits of the policy, then its rule group
/// overrides and exclusions. Custom rules are not here: <see cref="WafCustomRules"/> runs them before the engine.
/// </summary>
internal static class WafRuleText
{
    public const int ParanoiaLevel = 1;
    public const int AnomalyThreshold = 5;

    public static string For(WafPolicy policy)
    {
        var settings = policy.Settings;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"SecRuleEngine {(settings.Mode == WafMode.Prevention ? "On" : "DetectionOnly")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"SecRequestBodyAccess {(settings.RequestBodyCheck ? "On" : "Off")}");
        // Sizes are enforced by the gateway before the engine sees the body (413); the engine inspects what it is given.
        text.AppendLine(CultureInfo.InvariantCulture, $"SecRequestBodyLimit {Math.Min((long)settings.FileUploadLimitInMb * 1024 * 1024, int.MaxValue)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"SecRequestBodyNoFilesLimit {settings.RequestBodyInspectLimitInKb * 1024}");
        text.AppendLine("SecRequestBodyLimitAction ProcessPartial");
        text.Append(EngineSettings);
        text.AppendLine(CultureInfo.InvariantCulture, $"Include {CrsRuleFiles.Setup}");
        text.AppendLine(CultureInfo.InvariantCulture, $"SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level={ParanoiaLevel}\"");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"SecAction \"id:900110,phase:1,nolog,pass,t:none,setvar:tx.inbound_anomaly_score_threshold={AnomalyThreshold},setvar:tx.outbound_anomaly_score_threshold=4\"");
        text.AppendLine(CultureInfo.InvariantCulture, $"Include {CrsRuleFiles.RulesDirectory}/REQUEST-*.conf");
        var set = WafRuleSets.Find(policy.ManagedRuleSet.RuleSetType, policy.ManagedRuleSet.RuleSetVersion)!;
        foreach (var group in policy.ManagedRuleSet.RuleGroupOverrides)
        {
            var crsFile = set.Group(group.RuleGroupName)?.CrsFile;
            if (crsFile is not { } file) continue;
            if (group.Rules.Count == 0) text.AppendLine(CultureInfo.InvariantCulture, $"SecRuleRemoveById {file}000-{file}999");
            foreach (var rule in group.Rules)
            {
                if (!rule.Enabled) text.AppendLine(CultureInfo.InvariantCulture, $"SecRuleRemoveById {rule.RuleId}");
                else if (ActionUpdate(rule) is { } update)
                    text.AppendLine(CultureInfo.InvariantCulture, $"SecRuleUpdateActionById {rule.RuleId} \"{update}\"");
            }
        }
        foreach (var exclusion in policy.Exclusions)
        {
            var target = ExclusionTarget(exclusion);
            if (exclusion.Scopes.Count == 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"SecRuleUpdateTargetByTag \"OWASP_CRS\" \"{target}\"");
                continue;
            }
            foreach (var scope in exclusion.Scopes)
            {
                var ids = scope switch
                {
                    { RuleGroupName: null } => [],
                    { RuleIds.Count: > 0 } => scope.RuleIds,
                    _ => set.Group(scope.RuleGroupName)?.CrsFile is { } file ? CrsRuleFiles.RuleIds(file) : [],
                };
                if (scope.RuleGroupName is null) text.AppendLine(CultureInfo.InvariantCulture, $"SecRuleUpdateTargetByTag \"OWASP_CRS\" \"{target}\"");
                foreach (var id in ids) text.AppendLine(CultureInfo.InvariantCulture, $"SecRuleUpdateTargetById {id} \"{target}\"");
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// The actions that give an enabled rule its override's behaviour: Block denies at once; Allow stops evaluating rules
    /// for the request (the anomaly check at the end of phase 2 never runs); Log takes back, on a match, the score the
    /// rule adds, so its match is logged and counts for nothing. Null for AnomalyScoring, what CRS rules do already.
    /// </summary>
    private static string? ActionUpdate(WafRuleOverride rule) => rule.Action switch
    {
        WafManagedRuleAction.Block => "deny,status:403",
        WafManagedRuleAction.Allow => "allow",
        WafManagedRuleAction.Log when CrsRuleFiles.Find(rule.RuleId) is { Severity: { } severity } crs =>
            $"setvar:'tx.anomaly_score_pl{crs.ParanoiaLevel}=-%{{tx.{severity}_anomaly_score}}'",
        _ => null,
    };

    /// <summary>The variable an exclusion takes out of inspection, as <c>!COLLECTION:name</c> or <c>!COLLECTION:/regex/</c>.</summary>
    private static string ExclusionTarget(WafExclusion exclusion)
    {
        var collection = exclusion.MatchVariable switch
        {
            WafExclusionVariable.RequestHeaderNames or WafExclusionVariable.RequestHeaderValues => "REQUEST_HEADERS",
            WafExclusionVariable.RequestHeaderKeys => "REQUEST_HEADERS_NAMES",
            WafExclusionVariable.RequestCookieNames or WafExclusionVariable.RequestCookieValues => "REQUEST_COOKIES",
            WafExclusionVariable.RequestCookieKeys => "REQUEST_COOKIES_NAMES",
            WafExclusionVariable.RequestArgKeys => "ARGS_NAMES",
            _ => "ARGS",
        };
        var selector = Regex.Escape(exclusion.Selector);
        return exclusion.SelectorMatchOperator switch
        {
            WafSelectorOperator.EqualsAny => $"!{collection}",
            WafSelectorOperator.Equals => $"!{collection}:{exclusion.Selector}",
            WafSelectorOperator.StartsWith => $"!{collection}:/^{selector}/",
            WafSelectorOperator.EndsWith => $"!{collection}:/{selector}$/",
            _ => $"!{collection}:/{selector}/",
        };
    }

    /// <summary>modsecurity.conf-recommended's request settings, as the reference (nginx + ModSecurity) runs them; no audit log.</summary>
    public const string EngineSettings = """
        SecRule REQUEST_HEADERS:Content-Type "^(?:application(?:/soap\+|/)|text/)xml" "id:'200000',phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
        SecRule REQUEST_HEADERS:Content-Type "^application/json" "id:'200001',phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
        SecRequestBodyJsonDepthLimit 512
        SecArgumentsLimit 1000
        SecRule &ARGS "@ge 1000" "id:'200007', phase:2,t:none,log,deny,status:400,msg:'Failed to fully parse request body due to large argument count',severity:2"
        SecRule REQBODY_ERROR "!@eq 0" "id:'200002', phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body.',logdata:'%{reqbody_error_msg}',severity:2"
        SecRule MULTIPART_STRICT_ERROR "!@eq 0" "id:'200003',phase:2,t:none,log,deny,status:400,msg:'Multipart request body failed strict validation'"
        SecRule MULTIPART_UNMATCHED_BOUNDARY "@eq 1" "id:'200004',phase:2,t:none,log,deny,msg:'Multipart parser detected a possible unmatched boundary.'"
        SecPcreMatchLimit 1000
        SecPcreMatchLimitRecursion 1000
        SecRule TX:/^MSC_/ "!@streq 0" "id:'200005',phase:2,t:none,deny,msg:'ModSecurity internal error flagged: %{MATCHED_VAR_NAME}'"
        SecResponseBodyAccess Off
        SecAuditEngine Off
        SecArgumentSeparator &
        SecCookieFormat 0
        SecStatusEngine Off

        """;
}
