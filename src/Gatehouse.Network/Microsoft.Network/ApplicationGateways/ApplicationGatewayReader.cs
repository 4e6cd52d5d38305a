using System.Globalization;
using System.Text.Json.Nodes;
using Gatehouse.Network.Json;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// Reads the stored (canonical) form of a gateway into the typed model, applying Azure's defaults: the references, lists
/// and nested objects here, the plain init-only settings by <see cref="InitPropertyBinder"/>.
/// </summary>
internal static class ApplicationGatewayReader
{
    public const int DefaultRequestTimeoutSeconds = 20;

    // The default probe's timing (appgw-behaviour §5.9), also what a custom probe gets for what it leaves out.
    public const int DefaultProbeSeconds = 30;
    public const int DefaultUnhealthyThreshold = 3;

    public static ApplicationGateway Read(string id, JsonObject body)
    {
        var p = body.Properties();
        var sku = p.Object("sku");
        var autoscale = p.Object("autoscaleConfiguration");
        return InitPropertyBinder.Bind(new ApplicationGateway(
            id,
            body.String("name") ?? ResourceIds.LastSegment(id),
            body.String("location") ?? "",
            new GatewaySku(sku.String("name") ?? "", sku.String("tier") ?? "", sku.Int("capacity")),
            ReadSslPolicy(p.Object("sslPolicy")),
            Items(p, "sslCertificates", (itemId, name, q) =>
                new SslCertificate(itemId, name, DecodePfx(q.String("data")), q.String("password")) { KeyVaultSecretId = q.String("keyVaultSecretId") }),
            Items(p, "trustedClientCertificates", (itemId, name, q) => new TrustedClientCertificate(itemId, name, q.String("data") ?? "")),
            Items(p, "sslProfiles", (itemId, name, q) => new SslProfile(itemId, name,
                ReadClientAuth(q.Object("clientAuthConfiguration")),
                ReadSslPolicy(q.Object("sslPolicy")),
                References(q, "trustedClientCertificates"))),
            Items(p, "frontendIPConfigurations", (itemId, name, q) => new FrontendIpConfiguration(itemId, name, q.Reference("publicIPAddress"), q.String("privateIPAddress"))),
            Items(p, "frontendPorts", (itemId, name, q) => new FrontendPort(itemId, name, q.Int("port") ?? 0)),
            Items(p, "backendAddressPools", (itemId, name, q) => new BackendAddressPool(itemId, name,
                q.Objects("backendAddresses").Select(a => new BackendAddress(a.String("fqdn"), a.String("ipAddress"))).ToList())),
            Items(p, "backendHttpSettingsCollection", (itemId, name, q) => new BackendHttpSettings(itemId, name,
                q.Int("port") ?? 0,
                Protocol(q.String("protocol")),
                q.String("hostName"),
                q.Bool("pickHostNameFromBackendAddress") ?? false,
                q.String("path"),
                q.Int("requestTimeout") ?? DefaultRequestTimeoutSeconds)
            {
                ProbeId = q.Reference("probe"),
                CookieBasedAffinity = q.String("cookieBasedAffinity") == "Enabled",
                ConnectionDraining = q.Object("connectionDraining") is { } draining
                    ? new ConnectionDraining(draining.Bool("enabled") ?? false, draining.Int("drainTimeoutInSec") ?? 1)
                    : null,
                TrustedRootCertificateIds = References(q, "trustedRootCertificates"),
            }),
            Items(p, "httpListeners", (itemId, name, q) => new HttpListener(itemId, name,
                q.Reference("frontendIPConfiguration") ?? "",
                q.Reference("frontendPort") ?? "",
                Protocol(q.String("protocol")),
                q.String("hostName") is { Length: > 0 } host ? [host] : q.Strings("hostNames"),
                q.Reference("sslCertificate"),
                q.Reference("sslProfile"))
            {
                CustomErrorConfigurations = CustomErrors(q),
                FirewallPolicyId = q.Reference("firewallPolicy"),
            }),
            Items(p, "requestRoutingRules", (itemId, name, q) => new RequestRoutingRule(itemId, name,
                q.String("ruleType") == "PathBasedRouting" ? RoutingRuleType.PathBasedRouting : RoutingRuleType.Basic,
                q.Int("priority") ?? 0,
                q.Reference("httpListener") ?? "",
                q.Reference("backendAddressPool"),
                q.Reference("backendHttpSettings"),
                q.Reference("rewriteRuleSet"),
                q.Reference("redirectConfiguration"),
                q.Reference("urlPathMap"))
            {
                EntraJwtValidationConfigId = q.Reference("entraJWTValidationConfig"),
                LoadDistributionPolicyId = q.Reference("loadDistributionPolicy"),
            }),
            Items(p, "rewriteRuleSets", (itemId, name, q) => new RewriteRuleSet(itemId, name,
                q.Objects("rewriteRules").Select(ReadRewriteRule).ToList())))
        {
            TrustedRootCertificates = Items(p, "trustedRootCertificates", (itemId, name, q) =>
                new TrustedRootCertificate(itemId, name, q.String("data"), q.String("keyVaultSecretId"))),
            Probes = Items(p, "probes", ReadProbe),
            UrlPathMaps = Items(p, "urlPathMaps", (itemId, name, q) => new UrlPathMap(itemId, name,
                q.Reference("defaultBackendAddressPool"),
                q.Reference("defaultBackendHttpSettings"),
                q.Reference("defaultRewriteRuleSet"),
                q.Reference("defaultRedirectConfiguration"),
                Items(q, "pathRules", (ruleId, ruleName, r) => new PathRule(ruleId, ruleName,
                    r.Strings("paths"),
                    r.Reference("backendAddressPool"),
                    r.Reference("backendHttpSettings"),
                    r.Reference("rewriteRuleSet"),
                    r.Reference("redirectConfiguration"))
                {
                    FirewallPolicyId = r.Reference("firewallPolicy"),
                    LoadDistributionPolicyId = r.Reference("loadDistributionPolicy"),
                }))
            {
                DefaultLoadDistributionPolicyId = q.Reference("defaultLoadDistributionPolicy"),
            }),
            RedirectConfigurations = Items(p, "redirectConfigurations", (itemId, name, q) => new RedirectConfiguration(itemId, name,
                q.String("redirectType") is { } type ? Enum.Parse<RedirectType>(type) : RedirectType.Permanent,
                q.Reference("targetListener"),
                q.String("targetUrl"),
                q.Bool("includePath") ?? false,
                q.Bool("includeQueryString") ?? false)),
            LoadDistributionPolicies = Items(p, "loadDistributionPolicies", (itemId, name, q) => new LoadDistributionPolicy(itemId, name,
                q.String("loadDistributionAlgorithm") is { } algorithm ? Enum.Parse<LoadDistributionAlgorithm>(algorithm) : LoadDistributionAlgorithm.RoundRobin,
                Items(q, "loadDistributionTargets", (targetId, targetName, t) => new LoadDistributionTarget(targetId, targetName,
                    t.Int("weightPerServer") ?? LoadDistributionTarget.DefaultWeight, t.Reference("backendAddressPool"))))),
            EntraJwtValidationConfigs = Items(p, "entraJWTValidationConfigs", (itemId, name, q) => new EntraJwtValidationConfig(itemId, name, q.Strings("audiences"))),
            CustomErrorConfigurations = CustomErrors(p),
            Listeners = Items(p, "listeners", (itemId, name, q) => new Listener(itemId, name,
                q.Reference("frontendIPConfiguration") ?? "",
                q.Reference("frontendPort") ?? "",
                Protocol(q.String("protocol")),
                q.Strings("hostNames"),
                q.Reference("sslCertificate"),
                q.Reference("sslProfile"))),
            RoutingRules = Items(p, "routingRules", (itemId, name, q) => new RoutingRule(itemId, name,
                q.Int("priority") ?? 0,
                q.Reference("listener") ?? "",
                q.Reference("backendAddressPool"),
                q.Reference("backendSettings"))),
            BackendSettingsCollection = Items(p, "backendSettingsCollection", (itemId, name, q) => new BackendSettings(itemId, name,
                q.Int("port") ?? 0,
                Protocol(q.String("protocol")),
                q.Int("timeout") ?? BackendSettings.DefaultTimeoutSeconds,
                q.Reference("probe"),
                References(q, "trustedRootCertificates"),
                q.String("hostName"),
                q.Bool("pickHostNameFromBackendAddress") ?? false)),
            AutoscaleConfiguration = autoscale is null ? null
                : new AutoscaleConfiguration(autoscale.Int("minCapacity") ?? 0, autoscale.Int("maxCapacity") ?? AutoscaleConfiguration.DefaultMaxCapacity),
            FirewallPolicyId = p.Reference("firewallPolicy"),
            UserAssignedIdentityId = body.Object("identity").Object("userAssignedIdentities")?.Select(i => i.Key).FirstOrDefault(),
            // The validator reads it again with the request's error list; a stored gateway passed it.
            WebApplicationFirewallConfiguration = p.Object("webApplicationFirewallConfiguration") is { } waf
                ? WafPolicyReader.ReadLegacy(id, body.String("name") ?? ResourceIds.LastSegment(id), waf, new Gatehouse.Errors.ArmErrorList())
                : null,
        }, p);
    }

    private static Probe ReadProbe(string id, string name, JsonObject probe)
    {
        var match = probe.Object("match");
        var statusCodes = match.Strings("statusCodes");
        return new Probe(id, name,
            Protocol(probe.String("protocol")),
            probe.String("host"),
            probe.String("path") ?? "/",
            probe.Int("interval") ?? DefaultProbeSeconds,
            probe.Int("timeout") ?? DefaultProbeSeconds,
            probe.Int("unhealthyThreshold") ?? DefaultUnhealthyThreshold,
            probe.Bool("pickHostNameFromBackendHttpSettings") ?? false,
            probe.Int("minServers") ?? 0,
            new ProbeMatch(match.String("body"), statusCodes.Count > 0 ? statusCodes : ProbeMatch.DefaultStatusCodes),
            probe.Int("port"));
    }

    // statusCode is written as the specification's enumeration (HttpStatus502); a page without one serves no status.
    private static List<CustomErrorConfiguration> CustomErrors(JsonObject owner) =>
        owner.Objects("customErrorConfigurations")
            .Where(c => c.String("statusCode") is not null)
            .Select(c => new CustomErrorConfiguration(
                int.Parse(c.String("statusCode")!["HttpStatus".Length..], CultureInfo.InvariantCulture),
                c.String("customErrorPageUrl") ?? ""))
            .ToList();

    private static List<T> Items<T>(JsonObject properties, string collection, Func<string, string, JsonObject, T> read) where T : class =>
        properties.Objects(collection)
            .Select(item => InitPropertyBinder.Bind(read(item.String("id") ?? "", item.String("name") ?? "", item.Properties()), item.Properties()))
            .ToList();

    private static List<string> References(JsonObject obj, string name) =>
        obj.Objects(name).Select(r => r.String("id")).OfType<string>().ToList();

    // Enumeration values arrive as the specification spells them: the canonicalizer refused any other.
    private static ListenerProtocol Protocol(string? value) => value is null ? ListenerProtocol.Http : Enum.Parse<ListenerProtocol>(value);

    // Data that is not base64 is refused by the provisioner's certificate check, which reads the same data.
    private static ReadOnlyMemory<byte> DecodePfx(string? data) =>
        data is not null && ApplicationGatewayProvisioner.TryDecodeBase64(data, out var pfx) ? pfx : ReadOnlyMemory<byte>.Empty;

    private static SslPolicy? ReadSslPolicy(JsonObject? policy) => policy is null ? null : new SslPolicy(
        policy.String("policyType"),
        policy.String("policyName"),
        policy.String("minProtocolVersion"),
        policy.Strings("cipherSuites"),
        policy.Strings("disabledSslProtocols"));

    // No mode means Strict: before the property existed every mTLS listener was strict (§1.1).
    private static ClientAuthConfiguration? ReadClientAuth(JsonObject? config) => config is null ? null : new ClientAuthConfiguration(
        config.Bool("verifyClientCertIssuerDN") ?? false,
        config.String("verifyClientRevocation") == "OCSP" ? ClientRevocation.Ocsp : ClientRevocation.None,
        config.String("verifyClientAuthMode") is { } mode ? Enum.Parse<ClientAuthMode>(mode) : null);

    private static RewriteRule ReadRewriteRule(JsonObject rule)
    {
        var actions = rule.Object("actionSet");
        return new RewriteRule(
            rule.String("name") ?? "",
            rule.Int("ruleSequence") ?? 100,
            rule.Objects("conditions").Select(c => new RewriteRuleCondition(
                c.String("variable") ?? "",
                c.String("pattern") ?? "",
                c.Bool("ignoreCase") ?? false,
                c.Bool("negate") ?? false)).ToList(),
            new RewriteActionSet(Headers(actions, "requestHeaderConfigurations"), Headers(actions, "responseHeaderConfigurations"))
            {
                UrlConfiguration = actions.Object("urlConfiguration") is { } url
                    ? new UrlConfiguration(url.String("modifiedPath"), url.String("modifiedQueryString"), url.Bool("reroute") ?? false)
                    : null,
            });
    }

    private static List<HeaderConfiguration> Headers(JsonObject? actions, string name) =>
        actions.Objects(name).Select(h => new HeaderConfiguration(h.String("headerName") ?? "", h.String("headerValue"))).ToList();
}
