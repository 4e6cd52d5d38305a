using Gatehouse.Network.ApplicationGateways;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

namespace Gatehouse.Control.Portal;

/// <summary>
/// What a gateway does, read from its typed model: listeners with their TLS and client-authentication settings,
/// rules, pools with the data plane's live health, and its recent requests. Names only: never certificate data.
/// </summary>
internal static class GatewayView
{
    /// <param name="policy">The stored WAF policy with an id, if there is one.</param>
    public static Html Render(ApplicationGateway gateway, IGatewayMonitor? monitor, Html metrics, Func<string, WafPolicy?> policy) => Html.Of($"""
        <h2>Frontend IP configurations</h2>
        {PortalEndpoints.Table(["Name", "Frontend", "Served on (local address:port)"], Frontends(gateway, monitor))}
        <h2>Listeners</h2>
        {PortalEndpoints.Table(["Name", "Protocol", "Frontend port", "Host names", "TLS policy", "SSL profile", "Client authentication"],
            gateway.HttpListeners.Select(l => Listener(gateway, l)))}
        {KeyVaultErrors(gateway, monitor)}
        <h2>Rules</h2>
        {PortalEndpoints.Table(["Priority", "Name", "Type", "Listener", "Backend pool", "Backend settings", "Rewrite set", "Path map", "Redirect"],
            gateway.RequestRoutingRules.OrderBy(r => r.Priority).Select(r => Html.Of(
                $"<tr><td>{r.Priority}</td><td>{r.Name}</td><td>{r.RuleType}</td><td>{NameOf(r.HttpListenerId)}</td><td>{NameOf(r.BackendAddressPoolId)}</td><td>{NameOf(r.BackendHttpSettingsId)}</td><td>{NameOf(r.RewriteRuleSetId)}</td><td>{NameOf(r.UrlPathMapId)}</td><td>{NameOf(r.RedirectConfigurationId)}</td></tr>")))}
        {LiveParts.Region(HealthPart, "Backend pools", "live health", HealthRefreshSeconds, Pools(gateway, monitor))}
        <h2>Web application firewall</h2>
        {Firewall(gateway, policy)}
        {metrics}
        <h2>Recent firewall events</h2>
        {FirewallEvents(gateway, monitor)}
        <h2>Recent requests</h2>
        {RecentRequests(gateway, monitor)}
        {LiveParts.ScriptTag}
        """);

    /// <summary>The query that asks a gateway page for its backend pools alone.</summary>
    public const string HealthPart = "backend-health";

    // Health lives in the data plane's memory, so asking is cheap; Azure's own report moves on the probe interval.
    private const int HealthRefreshSeconds = 3;

    private static Html Listener(ApplicationGateway gateway, HttpListener listener)
    {
        var port = gateway.FrontendPorts.FirstOrDefault(p => Same(p.Id, listener.FrontendPortId))?.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var profile = gateway.SslProfiles.FirstOrDefault(p => Same(p.Id, listener.SslProfileId));
        // A plain HTTP listener has no TLS at all; an HTTPS one takes its profile's policy, else the gateway's.
        var policy = listener.Protocol == ListenerProtocol.Https
            ? SslPolicies.Resolve(profile?.SslPolicy ?? gateway.SslPolicy, listener.Name).Name
            : "—";
        var hosts = listener.HostNames.Count == 0 ? "any" : string.Join(", ", listener.HostNames);
        var clientAuthentication = profile?.ClientAuthentication?.ToString() ?? "None";
        return Html.Of($"<tr><td>{listener.Name}</td><td>{listener.Protocol}</td><td>{port}</td><td>{hosts}</td><td>{policy}</td><td>{profile?.Name ?? "—"}</td><td>{clientAuthentication}</td></tr>");
    }

    private static IEnumerable<Html> Frontends(ApplicationGateway gateway, IGatewayMonitor? monitor) => monitor is null
        ? gateway.FrontendIpConfigurations.Select(f => Frontend(null, f))
        : ServedFrontend.Of(gateway, monitor.ServedListeners).Select(s => Frontend(s, s.Frontend));

    /// <summary>A frontend with the local endpoints the data plane bound for its listeners (see <see cref="ServedFrontend"/>).</summary>
    private static Html Frontend(ServedFrontend? served, FrontendIpConfiguration frontend)
    {
        var endpoints = served switch
        {
            null => "Not available: no data plane is attached.",
            { LocalEndPoints: [] } => "Not served.",
            _ => string.Join(", ", served.LocalEndPoints),
        };
        return Html.Of($"<tr><td>{frontend.Name}</td><td>{(frontend.PublicIpAddressId is { } publicIp ? $"public IP {NameOf(publicIp)}" : $"private {frontend.PrivateIpAddress}")}</td><td>{endpoints}</td></tr>");
    }

    /// <summary>Certificates the gateway could not read from Key Vault, with Azure's error code and the listener each disables.</summary>
    private static Html KeyVaultErrors(ApplicationGateway gateway, IGatewayMonitor? monitor)
    {
        var unreadable = monitor?.UnreadableCertificates.Where(c => Same(c.GatewayId, gateway.Id)).ToList() ?? [];
        if (unreadable.Count == 0) return Html.Of($"");
        return Html.Of($"""
            <h2>Key Vault errors</h2>
            {PortalEndpoints.Table(["Certificate", "Disabled listener", "Error code", "Message"], unreadable.Select(c => Html.Of(
                $"<tr><td>{NameOf(c.CertificateId)}</td><td class=\"bad\">{c.DisabledListener ?? "—"}</td><td>{c.Error.Code}</td><td>{c.Error.Message}</td></tr>")))}
            """);
    }

    /// <summary>The pools with their members' live health: part of the page, and what <see cref="LiveParts"/> refreshes.</summary>
    public static Html Pools(ApplicationGateway gateway, IGatewayMonitor? monitor)
    {
        var health = monitor?.BackendHealth.Where(h => Same(h.GatewayId, gateway.Id)).ToList();
        return PortalEndpoints.Table(["Name", "Addresses", "Live health"], gateway.BackendAddressPools.Select(pool => Html.Of(
            $"<tr><td>{pool.Name}</td><td>{string.Join(", ", pool.BackendAddresses.Select(a => a.Host))}</td><td>{PoolHealth(health, pool)}</td></tr>")));
    }

    private static Html PoolHealth(List<BackendMemberHealth>? health, BackendAddressPool pool)
    {
        if (health is null) return Html.Of($"Not available: no data plane is attached.");
        var members = health.Where(h => h.BackendPoolName.Equals(pool.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        return members.Count == 0
            ? Html.Of($"Not probed yet.")
            : Html.Join(members.Select(m => Html.Of(
                $"<span>{m.Address}: <span class=\"{HealthClass(m.Health)}\">{PortalWord(m.Health)}</span> {m.HealthProbeLog ?? ""}</span><br>")));
    }

    // The API says Up and Down; Azure's portal shows the same states as Healthy and Unhealthy.
    private static string PortalWord(string health) => health switch { "Up" => "Healthy", "Down" => "Unhealthy", _ => health };

    // Only a member known to be down is flagged: Unknown (not probed yet) and Draining are not faults.
    private static string HealthClass(string health) => health switch { "Up" => "good", "Down" => "bad", _ => "" };

    private static Html RecentRequests(ApplicationGateway gateway, IGatewayMonitor? monitor) =>
        monitor?.AccessLogPath is not { } path
            ? Html.Of($"<p>No access log is kept.</p>")
            : PortalEndpoints.Table(["Time", "Listener", "Status", "Client IP", "sslClientVerify", "serverRouted", "timeTaken (s)"],
                AccessLogTail.Read(path, gateway.Id).Select(r => Html.Of(
                    $"<tr><td>{r.Time}</td><td>{r.Listener}</td><td>{r.Status}</td><td>{r.ClientIp}</td><td>{r.SslClientVerify}</td><td>{r.ServerRouted}</td><td>{r.TimeTaken}</td></tr>")));

    /// <summary>Where a policy applies (the most specific winning on the request path), its mode and rule set.</summary>
    private static Html Firewall(ApplicationGateway gateway, Func<string, WafPolicy?> policy)
    {
        Html Row(string scope, string name, WafPolicy? applied, string policyName) => Html.Of(
            $"<tr><td>{scope}</td><td>{name}</td><td>{policyName}</td><td>{applied?.Settings.Mode.ToString() ?? "—"}</td><td>{(applied is null ? "—" : $"{applied.ManagedRuleSet.RuleSetType} {applied.ManagedRuleSet.RuleSetVersion}")}</td><td>{applied?.CustomRules.Count ?? 0}</td></tr>");
        var rows = new List<Html>();
        if (gateway.FirewallPolicyId is { } shared) rows.Add(Row("Gateway", gateway.Name, policy(shared), NameOf(shared)));
        else if (gateway.WebApplicationFirewallConfiguration is { Settings.Enabled: true } legacy) rows.Add(Row("Gateway", gateway.Name, legacy, "webApplicationFirewallConfiguration"));
        rows.AddRange(gateway.HttpListeners.Where(l => l.FirewallPolicyId is not null)
            .Select(l => Row("Listener", l.Name, policy(l.FirewallPolicyId!), NameOf(l.FirewallPolicyId))));
        rows.AddRange(gateway.UrlPathMaps.SelectMany(m => m.PathRules).Where(r => r.FirewallPolicyId is not null)
            .Select(r => Row("Path rule", r.Name, policy(r.FirewallPolicyId!), NameOf(r.FirewallPolicyId))));
        return PortalEndpoints.Table(["Scope", "Name", "Policy", "Mode", "Managed rule set", "Custom rules"], rows);
    }

    private static Html FirewallEvents(ApplicationGateway gateway, IGatewayMonitor? monitor) =>
        monitor?.FirewallLogPath is not { } path
            ? Html.Of($"<p>No firewall log is kept.</p>")
            : PortalEndpoints.Table(["Time", "Action", "Rule set", "Rule", "Message", "Request", "Client IP", "Policy scope"],
                AccessLogTail.ReadFirewall(path, gateway.Id).Select(e => Html.Of(
                    $"<tr><td>{e.Time}</td><td>{e.Action}</td><td>{e.RuleSetType}</td><td>{e.RuleId}</td><td>{e.Message}</td><td>{e.RequestUri}</td><td>{e.ClientIp}</td><td>{e.Scope}</td></tr>")));

    private static bool Same(string? id, string? other) => id is not null && id.Equals(other, StringComparison.OrdinalIgnoreCase);

    private static string NameOf(string? id) => id is null ? "—" : id[(id.LastIndexOf('/') + 1)..];
}
