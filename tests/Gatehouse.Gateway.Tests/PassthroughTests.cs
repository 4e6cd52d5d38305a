using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Gateway.Tests.Support;

namespace Gatehouse.Gateway.Tests;

/// <summary>mTLS Passthrough as the Azure docs deploy it: every client reaches the backend, the certificate travels in a header.</summary>
public sealed class PassthroughTests(PassthroughGatewayFixture fixture) : IClassFixture<PassthroughGatewayFixture>
{
    private RunningGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task Without_a_client_certificate_the_backend_answers_and_verification_is_NONE()
    {
        using var client = Gateway.Client();
        var echo = await Gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/"));

        Assert.Equal("NONE", echo.Header("X-Client-Cert-Verification"));
        Assert.Null(echo.Header("X-Client-Cert"));
        Assert.Null(echo.Header("X-Client-Cert-Fingerprint"));
    }

    [Fact]
    public async Task The_handshake_asks_for_a_client_certificate_without_naming_CAs()
    {
        foreach (var version in new[] { "-tls1_2", "-tls1_3" })
        {
            var result = await Tool.RunAsync("openssl", "s_client", "-connect", $"127.0.0.1:{Gateway.Port}", "-servername", "localhost", version);

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Requested Signature Algorithms", result.Output);
            Assert.Contains("No client certificate CA names sent", result.Output);
        }
    }

    [Fact]
    public async Task A_valid_client_certificate_reaches_the_backend_as_nginx_escaped_PEM()
    {
        var certificate = TestCertificates.ValidClient;
        using var client = Gateway.Client(certificate);
        var echo = await Gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/"));

        var forwarded = echo.Header("X-Client-Cert")!;
        Assert.StartsWith("-----BEGIN%20CERTIFICATE-----%0A", forwarded);
        Assert.EndsWith("-----END%20CERTIFICATE-----%0A", forwarded);
        Assert.DoesNotContain("+", forwarded);
        Assert.DoesNotContain("/", forwarded);
        Assert.DoesNotContain("=", forwarded);
        var pem = Uri.UnescapeDataString(forwarded);
        Assert.Equal(certificate.RawData, X509Certificate2.CreateFromPem(pem).RawData);
        Assert.All(pem.Split('\n')[1..^2], line => Assert.True(line.Length <= 64));

        Assert.Equal("PASSTHROUGH", echo.Header("X-Client-Cert-Verification"));
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(certificate.RawData)), echo.Header("X-Client-Cert-Fingerprint"));
        Assert.Equal("CN=valid-client,OU=Clients,O=Gatehouse Tests,C=US", echo.Header("X-Client-Cert-Subject"));
        Assert.Equal("CN=Gatehouse Test Client CA,O=Gatehouse Tests,C=US", echo.Header("X-Client-Cert-Issuer"));
        Assert.Equal(certificate.SerialNumber.TrimStart('0'), echo.Header("X-Client-Cert-Serial"));
        var (start, end) = (certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
        Assert.Equal($"{start:MMM} {start.Day,2} {start:HH:mm:ss yyyy} GMT", echo.Header("X-Client-Cert-Start"));
        Assert.Equal($"{end:MMM} {end.Day,2} {end:HH:mm:ss yyyy} GMT", echo.Header("X-Client-Cert-End"));
    }

    [Fact]
    public async Task Expired_and_self_signed_certificates_are_forwarded_too()
    {
        foreach (var certificate in new[] { TestCertificates.ExpiredClient, TestCertificates.SelfSignedClient })
        {
            using var client = Gateway.Client(certificate);
            var echo = await Gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/"));

            Assert.Equal("PASSTHROUGH", echo.Header("X-Client-Cert-Verification"));
            Assert.Equal(certificate.RawData, X509Certificate2.CreateFromPem(Uri.UnescapeDataString(echo.Header("X-Client-Cert")!)).RawData);
        }
    }

    [Fact]
    public async Task Curl_with_a_client_certificate_gets_it_forwarded()
    {
        var (certificate, key) = Gateway.Files.Client(TestCertificates.ExpiredClient, "expired");
        var result = await Tool.RunAsync("curl", "-sS", "--fail-with-body", "--resolve", $"localhost:{Gateway.Port}:127.0.0.1",
            "--cacert", Gateway.Files.ServerCa, "--cert", certificate, "--key", key, $"https://localhost:{Gateway.Port}/curl");

        Assert.True(result.ExitCode == 0, result.All);
        var echo = EchoedRequest.Parse(result.Output);
        Assert.Equal("PASSTHROUGH", echo.Header("X-Client-Cert-Verification"));
        Assert.Equal(TestCertificates.ExpiredClient.RawData,
            X509Certificate2.CreateFromPem(Uri.UnescapeDataString(echo.Header("X-Client-Cert")!)).RawData);
    }

    [Fact]
    public async Task A_client_sending_its_own_certificate_headers_without_a_certificate_cannot_reach_the_backend_with_them()
    {
        using var client = Gateway.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Client-Cert", "-----BEGIN%20CERTIFICATE-----%0Aforged");
        request.Headers.Add("X-Client-Cert-Fingerprint", "0000000000000000000000000000000000000000");
        var echo = await Gateway.EchoAsync(client, request);

        Assert.Null(echo.Header("X-Client-Cert"));
        Assert.Null(echo.Header("X-Client-Cert-Fingerprint"));
        Assert.Equal("NONE", echo.Header("X-Client-Cert-Verification"));
    }

    [Fact]
    public async Task The_backend_gets_Azures_forwarding_headers()
    {
        using var client = Gateway.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, "/orders?id=7&x=%2F");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Forwarded-Proto", "ftp");
        request.Headers.Add("X-Forwarded-Port", "1");
        request.Headers.Add("X-AppGW-Trace-Id", "forged");
        request.Headers.Add("X-Original-URL", "/forged");
        var echo = await Gateway.EchoAsync(client, request);

        Assert.Matches(@"^203\.0\.113\.9, 127\.0\.0\.1:[0-9]+$", echo.Header("X-Forwarded-For"));
        Assert.Equal("https", echo.Header("X-Forwarded-Proto"));
        Assert.Equal("444", echo.Header("X-Forwarded-Port"));
        Assert.Equal($"localhost:{Gateway.Port}", echo.Header("X-Original-Host"));
        Assert.Equal("/orders?id=7&x=%2F", echo.Header("X-Original-URL"));
        Assert.Matches("^[0-9a-f]{32}$", echo.Header("X-AppGW-Trace-Id"));
        Assert.Equal($"localhost:{Gateway.Port}", echo.Header("Host"));
        Assert.Equal("/orders?id=7&x=%2F", echo.Target);
        Assert.Equal("localhost v1 on 444", echo.Header("X-Plan"));
    }

    [Fact]
    public async Task Every_request_gets_a_new_trace_id()
    {
        using var client = Gateway.Client();
        var first = await Gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/"));
        var second = await Gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/"));

        Assert.NotEqual(first.Header("X-AppGW-Trace-Id"), second.Header("X-AppGW-Trace-Id"));
    }

    [Fact]
    public async Task Conditions_capture_for_later_values_and_response_rewrites_delete_headers()
    {
        using var client = Gateway.Client();
        using var matching = await client.GetAsync("/api/v2/items");
        var echo = EchoedRequest.Parse(await matching.Content.ReadAsStringAsync());
        using var other = await client.GetAsync("/other");

        Assert.Equal("v2", echo.Header("X-Api-Version"));
        Assert.False(matching.Headers.Contains("X-Backend"));
        Assert.Null(EchoedRequest.Parse(await other.Content.ReadAsStringAsync()).Header("X-Api-Version"));
        Assert.Equal("echo", other.Headers.GetValues("X-Backend").Single());
    }

    [Fact]
    public async Task TLS_1_1_and_ciphers_outside_AppGwSslPolicy20220101_are_refused()
    {
        var address = $"127.0.0.1:{Gateway.Port}";

        var tls11 = await Tool.RunAsync("openssl", "s_client", "-connect", address, "-servername", "localhost", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        var weakCipher = await Tool.RunAsync("openssl", "s_client", "-connect", address, "-servername", "localhost", "-tls1_2", "-cipher", "AES128-SHA");
        var tls12 = await Tool.RunAsync("openssl", "s_client", "-connect", address, "-servername", "localhost", "-tls1_2");
        var tls13 = await Tool.RunAsync("openssl", "s_client", "-connect", address, "-servername", "localhost", "-tls1_3");

        Assert.NotEqual(0, tls11.ExitCode);
        Assert.NotEqual(0, weakCipher.ExitCode);
        Assert.True(tls12.ExitCode == 0, tls12.All);
        Assert.Contains("Protocol  : TLSv1.2", tls12.Output);
        Assert.Contains("ECDHE-RSA-AES256-GCM-SHA384", tls12.Output);
        Assert.True(tls13.ExitCode == 0, tls13.All);
        Assert.Contains("TLSv1.3", tls13.Output);
    }

    [Fact]
    public async Task A_host_no_listener_takes_gets_the_404_page()
    {
        // The docs' listener is basic (takes every host), so this needs a gateway with a named host only.
        await using var gateway = await RunningGateway.StartAsync(port =>
        {
            var template = TestGateways.Passthrough();
            return (template with { HttpListeners = [template.HttpListeners[0] with { HostNames = ["www.contoso.com"] }] },
                TestGateways.Environment(port));
        });
        using var client = gateway.Client();
        using var response = await client.GetAsync("https://gateway.test/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Microsoft-Azure-Application-Gateway/v2", await response.Content.ReadAsStringAsync());
    }
}
