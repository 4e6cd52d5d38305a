using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Tests;

/// <summary>
/// A client cannot send its own client-certificate headers (peers-mtls §6.1): they are removed on every listener,
/// with or without a certificate, in any case and with <c>_</c> for <c>-</c>, before rewrites run.
/// </summary>
public sealed class HeaderSpoofingTests(MixedListenersFixture fixture) : IClassFixture<MixedListenersFixture>
{
    private const string Forged = "forged";

    /// <summary>Peers' and RFC 9440's names, and X-Partner-Identity, which the rule set fills from a certificate variable only under a condition.</summary>
    private static readonly string[] CertificateHeaders =
    [
        "X-Client-Cert", "x-client-cert-subject", "X_Client_Cert", "X-Client-Cert-Verification", "X-SSL-Client-Cert",
        "X-SSL-Client-S-DN", "X_SSL_Client_Verify", "X-ARR-ClientCert", "X-Forwarded-Client-Cert", "X_Forwarded_Client_Cert",
        "X-Forwarded-Tls-Client-Cert", "X-Forwarded-Tls-Client-Cert-Info", "Client-Cert", "Client_Cert", "Client-Cert-Chain",
        "client_cert_chain", "ssl-client-cert", "SSL_CLIENT_CERT", "ssl-client-verify", "ssl-client-subject-dn",
        "ssl-client-issuer-dn", "X-ClientCert", "X-SSL-Cert", "X-SSL-Client-Verify", "X-Amzn-Mtls-Clientcert-Leaf",
        "Cf-Client-Cert-Sha256", "X-Partner-Identity", "X_Partner_Identity",
    ];

    private static string[] ForgedHeaders =>
        [.. CertificateHeaders.SelectMany(name => (string[])["-H", $"{name}: {Forged}"]), "-H", $"X-Unrelated: {Forged}"];

    [Theory]
    [InlineData("https://gateway.test/", false)]
    [InlineData("https://pass.test/", false)]
    [InlineData("https://pass.test/", true)]
    [InlineData("https://strict.test/", true)]
    public async Task Forged_certificate_headers_never_reach_the_backend(string url, bool withCertificate)
    {
        var (certificate, key) = fixture.Gateway.Files.Client(TestCertificates.ValidClient, "valid");
        string[] clientCertificate = withCertificate ? ["--cert", certificate, "--key", key] : [];

        var echo = (await fixture.Gateway.CurlAsync([.. clientCertificate, .. ForgedHeaders, url])).Single().Echo;

        AssertNoForgedCertificateHeader(echo);
        if (withCertificate)
            Assert.Equal("CN=valid-client,OU=Clients,O=Gatehouse Tests,C=US", echo.Header("X-Partner-Identity"));
    }

    [Fact]
    public async Task A_plain_HTTP_listener_removes_them_too()
    {
        await using var gateway = await RunningGateway.StartAsync(port =>
        {
            var template = TestGateways.Passthrough();
            return (template with
            {
                HttpListeners = [template.HttpListeners[0] with { Protocol = ListenerProtocol.Http, SslCertificateId = null, SslProfileId = null }],
            }, TestGateways.Environment(port));
        });

        var echo = (await gateway.CurlAsync([.. ForgedHeaders, "http://gateway.test/"])).Single().Echo;

        AssertNoForgedCertificateHeader(echo);
        Assert.Equal("", echo.Header("X-Client-Cert-Verification") ?? "");
    }

    private static void AssertNoForgedCertificateHeader(EchoedRequest echo)
    {
        Assert.Equal(Forged, echo.Header("X-Unrelated"));
        Assert.DoesNotContain(echo.Headers, h => h.Value == Forged && !h.Key.Equals("X-Unrelated", StringComparison.OrdinalIgnoreCase));
    }
}
