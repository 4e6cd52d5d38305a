using Gatehouse.Errors;
using Gatehouse.Gateway.Routing;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Gatehouse.Gateway.Waf;

/// <summary>
/// A WAF policy ready to run: its managed rules parsed by the engine once, its custom rules compiled, its block
/// answer encoded. Owned by the plan, which may use it for several listeners and path rules.
/// </summary>
internal sealed class WafPlan : IDisposable
{
    private WafPlan(WafPolicy policy, WafRules rules)
    {
        Policy = policy;
        Rules = rules;
        CustomRules = WafCustomRules.Compile(policy);
        var settings = policy.Settings;
        BlockPage = settings is { CustomBlockResponseStatusCode: null, CustomBlockResponseBody: null } ? GatewayPage.ForStatus(403, "Forbidden") : null;
        RuleSetType = policy.ManagedRuleSet.RuleSetType == WafRuleSets.Owasp ? "OWASP_CRS" : policy.ManagedRuleSet.RuleSetType;
    }

    public WafPolicy Policy { get; }

    public WafRules Rules { get; }

    public WafCustomRules CustomRules { get; }

    public bool Prevention => Policy.Settings.Mode == WafMode.Prevention;

    /// <summary>Azure's 403 page; null when the policy answers with its own status or body.</summary>
    private GatewayPage? BlockPage { get; }

    /// <summary>
    /// Azure's page for <paramref name="status"/>: 403 for the anomaly score and custom rules, or the status a rule
    /// itself names (400 for a body the engine cannot parse); null when the policy answers with its own status or body.
    /// </summary>
    public GatewayPage? PageFor(int status) =>
        BlockPage is null ? null : status == BlockPage.StatusCode ? BlockPage : GatewayPage.ForStatus(status, ReasonPhrases.GetReasonPhrase(status));

    public int CustomBlockStatus => Policy.Settings.CustomBlockResponseStatusCode ?? StatusCodes.Status403Forbidden;

    public byte[] CustomBlockBody => Policy.Settings.CustomBlockResponseBody ?? [];

    /// <summary>As the firewall log names it: OWASP_CRS or Microsoft_DefaultRuleSet.</summary>
    public string RuleSetType { get; }

    /// <summary>Parses the policy's rules; a rule set the engine refuses fails the deployment with the engine's message.</summary>
    public static WafPlan Compile(WafPolicy policy)
    {
        try
        {
            return new WafPlan(policy, WafRules.Parse(WafRuleText.For(policy)));
        }
        catch (WafRulesException e)
        {
            throw new ArmException(ArmErrors.WafRulesNotLoaded(policy.Id, e.Message));
        }
        catch (DllNotFoundException e)
        {
            throw new ArmException(ArmErrors.WafRulesNotLoaded(policy.Id, $"the ModSecurity library (libmodsecurity3) is not installed: {e.Message}"));
        }
    }

    public void Dispose() => Rules.Dispose();
}

/// <summary>The policy a request runs under and where it was associated: Global (the gateway), Listener or Location (a path rule).</summary>
internal sealed record WafAssociation(WafPlan Plan, string Scope, string ScopeName);
