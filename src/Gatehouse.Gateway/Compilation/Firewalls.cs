using Gatehouse.Errors;
using Gatehouse.Gateway.Waf;
using Gatehouse.Network.ApplicationGateways;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;
using HttpListener = Gatehouse.Network.ApplicationGateways.HttpListener;

namespace Gatehouse.Gateway.Compilation;

/// <summary>
/// The WAF policies of one plan: each parsed by the engine once however many listeners and path rules use it, and the
/// association of each, the most specific winning (path rule, then listener, then gateway: its firewallPolicy, else
/// its enabled legacy configuration).
/// </summary>
internal sealed class Firewalls(IReadOnlyList<WafPolicy> policies) : IDisposable
{
    private readonly Dictionary<string, WafPlan> _compiled = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<WafPlan> Compiled => [.. _compiled.Values];

    public WafAssociation? ForListener(ApplicationGateway gateway, HttpListener listener)
    {
        if (listener.FirewallPolicyId is { } own) return new WafAssociation(Plan(own), "Listener", listener.Name);
        if (gateway.FirewallPolicyId is { } shared) return new WafAssociation(Plan(shared), "Global", gateway.Name);
        return gateway.WebApplicationFirewallConfiguration is { Settings.Enabled: true } legacy
            ? new WafAssociation(Plan(legacy), "Global", gateway.Name)
            : null;
    }

    /// <summary>A path rule's own policy; null when it has none and the listener's applies.</summary>
    public WafAssociation? ForPathRule(PathRule rule) =>
        rule.FirewallPolicyId is { } own ? new WafAssociation(Plan(own), "Location", rule.Name) : null;

    private WafPlan Plan(string policyId) => Plan(
        policies.FirstOrDefault(p => p.Id.Equals(policyId, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArmException(ArmErrors.ReferenceNotFound("properties.firewallPolicy.id", policyId, "the application gateway")));

    private WafPlan Plan(WafPolicy policy)
    {
        if (!_compiled.TryGetValue(policy.Id, out var plan)) _compiled[policy.Id] = plan = WafPlan.Compile(policy);
        return plan;
    }

    public void Dispose()
    {
        foreach (var plan in _compiled.Values) plan.Dispose();
    }
}
