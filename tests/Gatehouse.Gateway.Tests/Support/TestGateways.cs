using System.Net;
using Gatehouse.Network.ApplicationGateways;
using HttpListener = Gatehouse.Network.ApplicationGateways.HttpListener;
using static Gatehouse.Gateway.Tests.Support.TestCertificates;

namespace Gatehouse.Gateway.Tests.Support;

/// <summary>
/// The docs' mTLS passthrough template (shared/corpus/docs-mtls-passthrough-arm) as typed records, plus a
/// rewrite rule set that forwards the client certificate the way the Azure docs show.
/// </summary>
public static class TestGateways
{
    public const string BackendFqdn = "headerappgw-hsa5gjh8fpfebcfd.westus-01.azurewebsites.net";
    public const int FrontendPort = 444;
    public const string GatewayId =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mtls/providers/Microsoft.Network/applicationGateways/mtlsAppGw";

    public static string Id(string collection, string name) => $"{GatewayId}/{collection}/{name}";

    public static string CertificateId => Id("sslCertificates", "sslCert");

    public static ApplicationGateway Passthrough(string planMark = "v1") => new(
        GatewayId,
        "mtlsAppGw",
        "westus",
        new GatewaySku("Standard_v2", "Standard_v2", 3),
        new SslPolicy("Predefined", "AppGwSslPolicy20220101", null, [], []),
        [new SslCertificate(CertificateId, "sslCert", TestCertificates.ServerPfx, PfxPassword)],
        [],
        [new SslProfile(Id("sslProfiles", "sslnotrustedcert"), "sslnotrustedcert",
            new ClientAuthConfiguration(false, ClientRevocation.None, ClientAuthMode.Passthrough), null, [])],
        [new FrontendIpConfiguration(Id("frontendIPConfigurations", "appGatewayFrontendIP"), "appGatewayFrontendIP",
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mtls/providers/Microsoft.Network/publicIPAddresses/mtlsPip", null)],
        [new FrontendPort(Id("frontendPorts", "port2"), "port2", FrontendPort)],
        [new BackendAddressPool(Id("backendAddressPools", "pool2"), "pool2", [new BackendAddress(BackendFqdn, null)])],
        [new BackendHttpSettings(Id("backendHttpSettingsCollection", "settings2"), "settings2", 80, ListenerProtocol.Http, null, false, null, 20)],
        [new HttpListener(Id("httpListeners", "listener2"), "listener2", Id("frontendIPConfigurations", "appGatewayFrontendIP"),
            Id("frontendPorts", "port2"), ListenerProtocol.Https, [], CertificateId, Id("sslProfiles", "sslnotrustedcert"))],
        [new RequestRoutingRule(Id("requestRoutingRules", "rule2"), "rule2", RoutingRuleType.Basic, 2000, Id("httpListeners", "listener2"),
            Id("backendAddressPools", "pool2"), Id("backendHttpSettingsCollection", "settings2"), Id("rewriteRuleSets", "forwardClientCert"), null, null)],
        [ForwardClientCertificate(planMark)]);

    /// <summary>The same gateway with a Strict profile trusting one uploaded file, by default the test client CA.</summary>
    public static ApplicationGateway Strict(string? trustedPem = null, bool verifyIssuerDN = true, ClientRevocation revocation = ClientRevocation.None) =>
        Passthrough() with
        {
            TrustedClientCertificates = [new TrustedClientCertificate(Id("trustedClientCertificates", "clientCa"), "clientCa",
                trustedPem ?? ClientCa.ExportCertificatePem())],
            SslProfiles = [new SslProfile(Id("sslProfiles", "sslnotrustedcert"), "sslnotrustedcert",
                new ClientAuthConfiguration(verifyIssuerDN, revocation, ClientAuthMode.Strict), null, [Id("trustedClientCertificates", "clientCa")])],
        };

    /// <summary>
    /// The gateway with the given listeners, all on frontend port 444, one Basic rule each in the order given
    /// (rule priority 100, 200, ...), served with one certificate for <c>gateway.test</c> and every site's names unless a
    /// site brings its own. Each rule forwards the certificate variables and names its listener in X-Plan.
    /// </summary>
    public static ApplicationGateway OnePort(params Site[] sites)
    {
        var template = Strict();
        string? Profile(ClientAuthMode? mode) => mode switch
        {
            ClientAuthMode.Strict => Id("sslProfiles", "strict"),
            ClientAuthMode.Passthrough => Id("sslProfiles", "passthrough"),
            _ => null,
        };
        // One certificate names every host, as a SAN certificate for a multi-site port does.
        var shared = ServerPfxFor(["gateway.test", .. sites.SelectMany(s => s.HostNames)]);
        return template with
        {
            SslCertificates = [template.SslCertificates[0] with { Pfx = shared },
                .. sites.Where(s => s.Pfx is not null).Select(s => new SslCertificate(Id("sslCertificates", s.Name), s.Name, s.Pfx!, PfxPassword))],
            SslProfiles =
            [
                template.SslProfiles[0] with { Id = Id("sslProfiles", "strict"), Name = "strict" },
                new SslProfile(Id("sslProfiles", "passthrough"), "passthrough",
                    new ClientAuthConfiguration(false, ClientRevocation.None, ClientAuthMode.Passthrough), null, []),
            ],
            HttpListeners = [.. sites.Select(s => template.HttpListeners[0] with
            {
                Id = Id("httpListeners", s.Name),
                Name = s.Name,
                HostNames = s.HostNames,
                SslCertificateId = s.Pfx is null ? CertificateId : Id("sslCertificates", s.Name),
                SslProfileId = Profile(s.ClientAuth),
                RequireServerNameIndication = s.RequireServerNameIndication,
            })],
            RequestRoutingRules = [.. sites.Select((s, i) => template.RequestRoutingRules[0] with
            {
                Id = Id("requestRoutingRules", s.Name),
                Name = s.Name,
                Priority = 100 * (i + 1),
                HttpListenerId = Id("httpListeners", s.Name),
                RewriteRuleSetId = Id("rewriteRuleSets", s.Name),
            })],
            RewriteRuleSets = [.. sites.Select(s => ForwardClientCertificate(s.Name, s.Name))],
        };
    }

    public static GatewayEnvironment Environment(int backendPort) => new(
        new Dictionary<string, string> { [BackendFqdn] = $"127.0.0.1:{backendPort}" },
        new Dictionary<int, int> { [FrontendPort] = 0 },
        IPAddress.Loopback);

    private static RewriteRuleSet ForwardClientCertificate(string planMark, string name = "forwardClientCert") => new(Id("rewriteRuleSets", name), name,
    [
        new RewriteRule("clientCertificate", 100, [], new RewriteActionSet(
        [
            new HeaderConfiguration("X-Client-Cert", "{var_client_certificate}"),
            new HeaderConfiguration("X-Client-Cert-Verification", "{var_client_certificate_verification}"),
            new HeaderConfiguration("X-Client-Cert-Fingerprint", "{var_client_certificate_fingerprint}"),
            new HeaderConfiguration("X-Client-Cert-Subject", "{var_client_certificate_subject}"),
            new HeaderConfiguration("X-Client-Cert-Issuer", "{var_client_certificate_issuer}"),
            new HeaderConfiguration("X-Client-Cert-Serial", "{var_client_certificate_serial}"),
            new HeaderConfiguration("X-Client-Cert-Start", "{var_client_certificate_start_date}"),
            new HeaderConfiguration("X-Client-Cert-End", "{var_client_certificate_end_date}"),
            new HeaderConfiguration("X-Plan", $"{{var_host}} {planMark} on {{var_server_port}}"),
            new HeaderConfiguration("X-Http-Version", "{var_http_version}"),
        ], [])),
        new RewriteRule("partnerIdentity", 150,
            [new RewriteRuleCondition("var_client_certificate_verification", "^(SUCCESS|PASSTHROUGH)$", false, false)],
            new RewriteActionSet([new HeaderConfiguration("X-Partner-Identity", "{var_client_certificate_subject}")], [])),
        new RewriteRule("apiVersion", 200, [new RewriteRuleCondition("var_uri_path", "^/api/(v[0-9]+)/", true, false)], new RewriteActionSet(
            [new HeaderConfiguration("X-Api-Version", "{var_uri_path_1}")],
            [new HeaderConfiguration("X-Backend", "")])),
    ]);
}

/// <summary>A listener of <see cref="TestGateways.OnePort"/>: its host names, client authentication and, when given, its own certificate.</summary>
public sealed record Site(string Name, string[] HostNames, ClientAuthMode? ClientAuth = null, byte[]? Pfx = null,
    bool RequireServerNameIndication = false);
