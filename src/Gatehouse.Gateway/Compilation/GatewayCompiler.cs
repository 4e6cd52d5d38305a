using System.Collections.Frozen;
using System.Net.Security;
using System.Net.Sockets;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using Gatehouse.Errors;
using Gatehouse.Gateway.Authentication;
using Gatehouse.Gateway.Backends;
using Gatehouse.Gateway.Compilation;
using Gatehouse.Gateway.Forwarding;
using Gatehouse.Gateway.Observability;
using Gatehouse.Gateway.Rewrites;
using Gatehouse.Gateway.Routing;
using Gatehouse.Gateway.Tls;
using Gatehouse.Gateway.Waf;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;
using Gatehouse.Network.ApplicationGateways;
using Yarp.ReverseProxy.Forwarder;
using HttpListener = Gatehouse.Network.ApplicationGateways.HttpListener;

namespace Gatehouse.Gateway;

/// <summary>
/// Turns deployed gateways into one <see cref="GatewayPlan"/>. No sockets, no clock, no files; but it loads every
/// listener certificate with its private key and builds its TLS context, which the plan then owns.
/// </summary>
public static class GatewayCompiler
{
    /// <summary>
    /// Compiles every gateway's routing rules (in priority order) into listeners grouped by local socket. The gateways
    /// are valid (the Network provider checked every rule that depends on them alone); this throws
    /// <see cref="ArmException"/> only for what cannot be served here (local port and host conflicts, certificates that
    /// do not load on this machine), having disposed what it loaded. The caller owns the plan: it disposes it, or hands
    /// it to <see cref="GatewayHost.ApplyAsync"/>.
    /// </summary>
    /// <param name="policies">The WAF policies the gateways name (gateway, listener or path rule); each is parsed by the engine once.</param>
    public static GatewayPlan Compile(IReadOnlyList<ApplicationGateway> gateways, GatewayEnvironment environment, IReadOnlyList<WafPolicy>? policies = null)
    {
        var owned = new PlanCertificates();
        var firewalls = new Firewalls(policies ?? []);
        try
        {
            return Compile(gateways, environment, owned, firewalls);
        }
        catch
        {
            owned.Dispose();
            firewalls.Dispose();
            throw;
        }
    }

    private static GatewayPlan Compile(IReadOnlyList<ApplicationGateway> gateways, GatewayEnvironment environment, PlanCertificates owned, Firewalls firewalls)
    {
        var clusters = new ClusterCatalog(environment, owned);
        var listeners = new List<(PortBinding Binding, int Priority, ListenerPlan Listener)>();
        var unreadable = new List<UnreadableCertificate>();
        foreach (var gateway in gateways.Where(g => g.OperationalState != GatewayOperationalState.Stopped))
        {
            var certificates = new Dictionary<string, X509Certificate2Collection>(StringComparer.OrdinalIgnoreCase);
            var compiled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var disabled = UnreadableCertificates(gateway, unreadable);
            // Listeners sort stably by priority, so on a shared port earlier gateways win ties.
            foreach (var rule in gateway.RequestRoutingRules.OrderBy(r => r.Priority))
            {
                var listener = Find(gateway.HttpListeners, l => l.Id, rule.HttpListenerId, "httpListener", rule.Id);
                if (!compiled.Add(listener.Id) || disabled.Contains(listener.Id)) continue;
                var frontendPort = Find(gateway.FrontendPorts, p => p.Id, listener.FrontendPortId, "frontendPort", listener.Id).Port;
                var localPort = environment.PortMap.GetValueOrDefault(frontendPort, frontendPort);
                var tls = listener.Protocol == ListenerProtocol.Https
                    ? CompileTls(gateway, listener.Id, listener.SslCertificateId, listener.SslProfileId, ListenerTls.Http(gateway.EnableHttp2), certificates, owned)
                    : null;
                var route = CompileRoute(gateway, rule, clusters, firewalls, firewalls.ForListener(gateway, listener)) with { EntraJwt = CompileEntraJwt(gateway, rule, environment) };
                var rewritten = route.RewriteSets.SelectMany(r => r.ClientCertificateHeaderNames);
                listeners.Add((PortBinding.For(LocalAddress(gateway, listener.FrontendIpConfigurationId, environment), localPort, frontendPort, listener.Protocol), rule.Priority,
                    new ListenerPlan(gateway.Id, listener.Id, listener.Name, frontendPort, listener.Protocol, listener.HostNames,
                        listener.RequireServerNameIndication, tls, route, ClientCertificateHeaders.For(rewritten),
                        ListenerLabels.For(gateway.Id, listener.Name, rule),
                        CustomErrorPageUrls(gateway, listener))));
            }
            foreach (var rule in gateway.RoutingRules.OrderBy(r => r.Priority).Where(r => !disabled.Contains(r.ListenerId)))
                listeners.Add(CompileLayer4(gateway, rule, environment, clusters, certificates, owned));
        }
        CheckLocalPorts(listeners);
        var ports = listeners
            .GroupBy(l => l.Binding)
            .Select(g => new PortPlan(g.Key, [.. g.OrderBy(l => l.Priority).Select(l => l.Listener)]))
            .ToFrozenDictionary(p => p.Binding);
        foreach (var port in ports.Values) CheckHostNames(port);
        return new GatewayPlan(ports, clusters.Clusters, owned, firewalls.Compiled) { UnreadableCertificates = unreadable };
    }

    /// <summary>
    /// Records each certificate the gateway could not read from Key Vault, once per listener it disables (Azure disables
    /// the HTTPS and TLS listeners that use it), and returns the ids of those listeners; the others serve.
    /// </summary>
    private static HashSet<string> UnreadableCertificates(ApplicationGateway gateway, List<UnreadableCertificate> unreadable)
    {
        var disabled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var certificate in gateway.SslCertificates.Where(c => c.Unreadable is not null))
        {
            var users = gateway.HttpListeners.Where(l => l.Protocol == ListenerProtocol.Https).Select(l => (l.Id, l.Name, l.SslCertificateId))
                .Concat(gateway.Listeners.Where(l => l.Protocol == ListenerProtocol.Tls).Select(l => (l.Id, l.Name, l.SslCertificateId)))
                .Where(l => string.Equals(l.SslCertificateId, certificate.Id, StringComparison.OrdinalIgnoreCase))
                .ToList();
            disabled.UnionWith(users.Select(l => l.Id));
            unreadable.AddRange(users.Count == 0
                ? [new UnreadableCertificate(gateway.Id, certificate.Id, certificate.Unreadable!, null)]
                : users.Select(l => new UnreadableCertificate(gateway.Id, certificate.Id, certificate.Unreadable!, l.Name)));
        }
        unreadable.AddRange(gateway.TrustedRootCertificates.Where(r => r.Unreadable is not null)
            .Select(r => new UnreadableCertificate(gateway.Id, r.Id, r.Unreadable!, null)));
        return disabled;
    }

    /// <summary>
    /// A TCP or TLS listener with its one rule: every connection goes to the rule's pool under its backend settings. It
    /// shares the HTTP listeners' socket tables (a TLS listener is picked by SNI), TLS handshake and client authentication.
    /// </summary>
    private static (PortBinding, int, ListenerPlan) CompileLayer4(ApplicationGateway gateway, RoutingRule rule, GatewayEnvironment environment,
        ClusterCatalog clusters, Dictionary<string, X509Certificate2Collection> certificates, PlanCertificates owned)
    {
        var listener = Find(gateway.Listeners, l => l.Id, rule.ListenerId, "listener", rule.Id);
        var frontendPort = Find(gateway.FrontendPorts, p => p.Id, listener.FrontendPortId, "frontendPort", listener.Id).Port;
        var localPort = environment.PortMap.GetValueOrDefault(frontendPort, frontendPort);
        // Layer 4 carries no HTTP: ALPN offers nothing, so a client's own protocol (postgresql, redis) is not refused.
        var tls = listener.Protocol == ListenerProtocol.Tls
            ? CompileTls(gateway, listener.Id, listener.SslCertificateId, listener.SslProfileId, applicationProtocols: null, certificates, owned)
            : null;
        var pool = Find(gateway.BackendAddressPools, p => p.Id, rule.BackendAddressPoolId, "backendAddressPool", rule.Id);
        var settings = Find(gateway.BackendSettingsCollection, s => s.Id, rule.BackendSettingsId, "backendSettings", rule.Id);
        var route = new RoutePlan(rule.Name, [], new ForwardTarget(clusters.For(gateway, pool, settings), RewritePlan.None));
        return (PortBinding.For(LocalAddress(gateway, listener.FrontendIpConfigurationId, environment), localPort, frontendPort, listener.Protocol), rule.Priority,
            new ListenerPlan(gateway.Id, listener.Id, listener.Name, frontendPort, listener.Protocol, listener.HostNames, false, tls, route,
                ClientCertificateHeaders.For([]), new ListenerLabels(gateway.Id, listener.Name, rule.Name, pool.Name, settings.Name),
                FrozenDictionary<int, string>.Empty));
    }

    private static ListenerTls CompileTls(ApplicationGateway gateway, string listenerId, string? certificateId, string? profileId, List<SslApplicationProtocol>? applicationProtocols,
        Dictionary<string, X509Certificate2Collection> certificates, PlanCertificates owned)
    {
        var certificate = Find(gateway.SslCertificates, c => c.Id, certificateId, "sslCertificate", listenerId);
        if (!certificates.TryGetValue(certificate.Id, out var pfx)) certificates[certificate.Id] = pfx = owned.Own(certificate.Load());

        var profile = profileId is not null
            ? Find(gateway.SslProfiles, p => p.Id, profileId, "sslProfile", listenerId)
            : null;
        var policy = profile?.SslPolicy is { } profilePolicy
            ? SslPolicies.Resolve(profilePolicy, profile.Id)
            : SslPolicies.Resolve(gateway.SslPolicy, gateway.Id);
        var clientAuth = CompileClientAuth(gateway, profile, owned);

        var leaf = pfx.First(c => c.HasPrivateKey);
        var chain = new X509Certificate2Collection(pfx.Where(c => c != leaf).ToArray());
        var trust = clientAuth.Mode == ClientAuthMode.Strict
            ? SslCertificateTrust.CreateForX509Collection(clientAuth.TrustedCas, sendTrustInHandshake: true)
            : null;
        var context = SslStreamCertificateContext.Create(leaf, chain, offline: true, trust);
        owned.Own([context.TargetCertificate, .. context.IntermediateCertificates]);
        return new ListenerTls(context, TlsPolicy.Protocols(policy), TlsPolicy.CipherSuites(policy), clientAuth, applicationProtocols);
    }

    private static ClientAuthPlan CompileClientAuth(ApplicationGateway gateway, SslProfile? profile, PlanCertificates owned)
    {
        switch (profile?.ClientAuthentication)
        {
            case null: return ClientAuthPlan.None;
            case ClientAuthMode.Passthrough: return ClientAuthPlan.Passthrough;
        }
        var configuration = profile.ClientAuthConfiguration;
        var files = profile.TrustedClientCertificateIds
            .Select(id => Find(gateway.TrustedClientCertificates, t => t.Id, id, "trustedClientCertificate", profile.Id))
            .Select(trusted => owned.Own(TrustedClientCertificateData.LoadAuthorities(trusted.Id, trusted.Data)))
            .ToList();
        var issuerNames = configuration?.VerifyClientCertIssuerDN == true
            ? files.Select(TrustedClientCertificateData.IssuerName).ToList()
            : [];
        return ClientAuthPlan.Strict(new X509Certificate2Collection(files.SelectMany(f => f).ToArray()), issuerNames,
            configuration?.VerifyClientRevocation == ClientRevocation.Ocsp);
    }

    private static RoutePlan CompileRoute(ApplicationGateway gateway, RequestRoutingRule rule, ClusterCatalog clusters, Firewalls firewalls, WafAssociation? waf)
    {
        if (rule.RuleType == RoutingRuleType.Basic)
            return new RoutePlan(rule.Name, [],
                CompileTarget(gateway, rule.Id, rule.BackendAddressPoolId, rule.LoadDistributionPolicyId, rule.BackendHttpSettingsId, rule.RewriteRuleSetId,
                    rule.RedirectConfigurationId, clusters, waf));

        var map = Find(gateway.UrlPathMaps, m => m.Id, rule.UrlPathMapId, "urlPathMap", rule.Id);
        var pathRules = map.PathRules.Select(p => new PathRulePlan(p.Name, [.. p.Paths.Select(path => new PathPattern(path))],
            CompileTarget(gateway, p.Id, p.BackendAddressPoolId, p.LoadDistributionPolicyId, p.BackendHttpSettingsId, p.RewriteRuleSetId, p.RedirectConfigurationId, clusters,
                firewalls.ForPathRule(p) ?? waf)));
        return new RoutePlan(rule.Name, [.. pathRules],
            CompileTarget(gateway, map.Id, map.DefaultBackendAddressPoolId, map.DefaultLoadDistributionPolicyId, map.DefaultBackendHttpSettingsId, map.DefaultRewriteRuleSetId,
                map.DefaultRedirectConfigurationId, clusters, waf));
    }

    private static EntraJwtValidation? CompileEntraJwt(ApplicationGateway gateway, RequestRoutingRule rule, GatewayEnvironment environment)
    {
        if (rule.EntraJwtValidationConfigId is not { } configId) return null;
        var config = Find(gateway.EntraJwtValidationConfigs, c => c.Id, configId, "entraJWTValidationConfig", rule.Id);
        var authority = environment.EntraAuthority ?? throw new ArmException(ArmErrors.EntraAuthorityNotConfigured(rule.Id, config.Id));
        return new EntraJwtValidation(config, authority);
    }

    /// <summary>
    /// What a rule, a path rule or a path map's defaults (<paramref name="owner"/>) do: redirect, or forward to a pool, or
    /// to the pools of a load distribution policy, which takes the pool's place.
    /// </summary>
    private static RouteTarget CompileTarget(ApplicationGateway gateway, string owner, string? poolId, string? policyId, string? settingsId,
        string? rewriteSetId, string? redirectId, ClusterCatalog clusters, WafAssociation? waf)
    {
        if (redirectId is not null)
            return new RedirectTarget(CompileRedirect(gateway, Find(gateway.RedirectConfigurations, r => r.Id, redirectId, "redirectConfiguration", owner)));

        var settings = Find(gateway.BackendHttpSettingsCollection, s => s.Id, settingsId, "backendHttpSettings", owner);
        var rewrites = rewriteSetId is not null
            ? RewritePlan.Compile(Find(gateway.RewriteRuleSets, s => s.Id, rewriteSetId, "rewriteRuleSet", owner))
            : RewritePlan.None;
        var cluster = policyId is not null
            ? clusters.For(gateway, Find(gateway.LoadDistributionPolicies, p => p.Id, policyId, "loadDistributionPolicy", owner), settings)
            : clusters.For(gateway, Find(gateway.BackendAddressPools, p => p.Id, poolId, "backendAddressPool", owner), settings);
        return new ForwardTarget(cluster, rewrites, waf);
    }

    private static RedirectPlan CompileRedirect(ApplicationGateway gateway, RedirectConfiguration redirect)
    {
        if (redirect.TargetUrl is { } url) return RedirectPlan.ToUrl(redirect.StatusCode, url, redirect.IncludeQueryString);
        var listener = Find(gateway.HttpListeners, l => l.Id, redirect.TargetListenerId, "httpListener", redirect.Id);
        var port = Find(gateway.FrontendPorts, p => p.Id, listener.FrontendPortId, "frontendPort", listener.Id).Port;
        // A listener with one plain host name names the target; otherwise the client's host is kept.
        var host = listener.HostNames is [var only] && !HostPattern.IsWildcard(only) ? only : null;
        return RedirectPlan.ToListener(redirect.StatusCode, listener.Protocol == ListenerProtocol.Https, host, port,
            redirect.IncludePath, redirect.IncludeQueryString);
    }

    private static FrozenDictionary<int, string> CustomErrorPageUrls(ApplicationGateway gateway, HttpListener listener)
    {
        var urls = gateway.CustomErrorConfigurations.ToDictionary(c => c.StatusCode, c => c.CustomErrorPageUrl);
        foreach (var configuration in listener.CustomErrorConfigurations) urls[configuration.StatusCode] = configuration.CustomErrorPageUrl;
        return urls.ToFrozenDictionary();
    }

    /// <summary>The local address serving a listener's frontend (see <see cref="GatewayEnvironment.LocalAddress"/>).</summary>
    private static IPAddress LocalAddress(ApplicationGateway gateway, string frontendId, GatewayEnvironment environment) =>
        environment.LocalAddress(gateway.FrontendIpConfigurations.FirstOrDefault(f => string.Equals(f.Id, frontendId, StringComparison.OrdinalIgnoreCase))?.Address);

    /// <summary>Plain HTTP and HTTPS cannot share one local socket.</summary>
    private static void CheckLocalPorts(List<(PortBinding Binding, int Priority, ListenerPlan Listener)> listeners)
    {
        foreach (var socket in listeners.Where(l => l.Binding.LocalPort != 0).GroupBy(l => (l.Binding.Address, l.Binding.LocalPort)))
        {
            var first = socket.First();
            if (socket.FirstOrDefault(l => l.Binding.Protocol != first.Binding.Protocol) is { Listener: { } other })
                throw new ArmException(ArmErrors.LocalPortConflict(other.Id, other.Name, other.Protocol.ToString(),
                    first.Listener.Name, first.Listener.Protocol.ToString(), socket.Key.LocalPort));
        }
    }

    /// <summary>Two listeners on one socket cannot take the same host name (or both take every host).</summary>
    private static void CheckHostNames(PortPlan port)
    {
        var claims = new Dictionary<string, ListenerPlan>(StringComparer.OrdinalIgnoreCase);
        foreach (var listener in port.Listeners)
        {
            foreach (var host in listener.HostNames.Count == 0 ? [""] : listener.HostNames)
            {
                if (!claims.TryAdd(host, listener))
                    throw new ArmException(ArmErrors.ListenerHostConflict(listener.Id, listener.Name, claims[host].Name, host, port.Binding.LocalPort));
            }
        }
    }

    /// <summary>The sub-resource a reference names; the Network provider refused any reference that names none.</summary>
    private static T Find<T>(IEnumerable<T> items, Func<T, string> id, string? reference, string kind, string referrer)
        where T : class =>
        items.FirstOrDefault(i => string.Equals(id(i), reference, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"The {kind} '{reference}' referenced by '{referrer}' was not checked by the Network provider.");
}
