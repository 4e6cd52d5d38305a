using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>Reads the stored (canonical) form of a gateway into the typed model, applying Azure's defaults.</summary>
internal static class ApplicationGatewayReader
{
    public const int DefaultRequestTimeoutSeconds = 20;

    public static ApplicationGateway Read(string id, JsonObject body)
    {
        var p = body.Properties();
        var sku = p.Object("sku");
        return new ApplicationGateway(
            id,
            body.String("name") ?? ResourceIds.LastSegment(id),
            body.String("location") ?? "",
            new GatewaySku(sku.String("name") ?? "", sku.String("tier") ?? "", sku.Int("capacity")),
            ReadSslPolicy(p.Object("sslPolicy")),
            Items(p, "sslCertificates", (itemId, name, q) => new SslCertificate(itemId, name, DecodePfx(q.String("data")), q.String("password"))),
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
                q.Int("requestTimeout") ?? DefaultRequestTimeoutSeconds)),
            Items(p, "httpListeners", (itemId, name, q) => new HttpListener(itemId, name,
                q.Reference("frontendIPConfiguration") ?? "",
                q.Reference("frontendPort") ?? "",
                Protocol(q.String("protocol")),
                q.String("hostName") is { Length: > 0 } host ? [host] : q.Strings("hostNames"),
                q.Reference("sslCertificate"),
                q.Reference("sslProfile"),
                q.Bool("requireServerNameIndication") ?? false)),
            Items(p, "requestRoutingRules", (itemId, name, q) => new RequestRoutingRule(itemId, name,
                q.String("ruleType") == "PathBasedRouting" ? RoutingRuleType.PathBasedRouting : RoutingRuleType.Basic,
                q.Int("priority") ?? 0,
                q.Reference("httpListener") ?? "",
                q.Reference("backendAddressPool"),
                q.Reference("backendHttpSettings"),
                q.Reference("rewriteRuleSet"),
                q.Reference("redirectConfiguration"),
                q.Reference("urlPathMap"))),
            Items(p, "rewriteRuleSets", (itemId, name, q) => new RewriteRuleSet(itemId, name,
                q.Objects("rewriteRules").Select(ReadRewriteRule).ToList())),
            p.Bool("enableHttp2") ?? false);
    }

    private static List<T> Items<T>(JsonObject properties, string collection, Func<string, string, JsonObject, T> read) =>
        properties.Objects(collection)
            .Select(item => read(item.String("id") ?? "", item.String("name") ?? "", item.Properties()))
            .ToList();

    private static List<string> References(JsonObject obj, string name) =>
        obj.Objects(name).Select(r => r.String("id")).OfType<string>().ToList();

    private static ListenerProtocol Protocol(string? value) => value == "Https" ? ListenerProtocol.Https : ListenerProtocol.Http;

    private static ReadOnlyMemory<byte> DecodePfx(string? data) => data is null ? ReadOnlyMemory<byte>.Empty : Convert.FromBase64String(data);

    private static SslPolicy? ReadSslPolicy(JsonObject? policy) => policy is null ? null : new SslPolicy(
        policy.String("policyType"),
        policy.String("policyName"),
        policy.String("minProtocolVersion"),
        policy.Strings("cipherSuites"),
        policy.Strings("disabledSslProtocols"));

    // Strict is the default mode: before the property existed every mTLS listener was strict (§1.1).
    private static ClientAuthConfiguration? ReadClientAuth(JsonObject? config) => config is null ? null : new ClientAuthConfiguration(
        config.Bool("verifyClientCertIssuerDN") ?? false,
        config.String("verifyClientRevocation") == "OCSP" ? ClientRevocation.Ocsp : ClientRevocation.None,
        config.String("verifyClientAuthMode") == "Passthrough" ? ClientAuthMode.Passthrough : ClientAuthMode.Strict);

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
            new RewriteActionSet(Headers(actions, "requestHeaderConfigurations"), Headers(actions, "responseHeaderConfigurations")));
    }

    private static List<HeaderConfiguration> Headers(JsonObject? actions, string name) =>
        actions.Objects(name).Select(h => new HeaderConfiguration(h.String("headerName") ?? "", h.String("headerValue"))).ToList();
}
