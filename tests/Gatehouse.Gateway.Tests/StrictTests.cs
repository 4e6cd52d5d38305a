using System.Net;
using Gatehouse.Gateway.Tests.Support;

namespace Gatehouse.Gateway.Tests;

public sealed class StrictGatewayFixture : IAsyncLifetime
{
    public RunningGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Gateway = await RunningGateway.StartAsync(port => (TestGateways.Strict(), TestGateways.Environment(port)));

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>Strict mode: the handshake always completes; a missing or bad certificate is an HTTP 400, as on Azure.</summary>
public sealed class StrictTests(StrictGatewayFixture fixture) : IClassFixture<StrictGatewayFixture>
{
    private RunningGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task Without_a_certificate_the_answer_is_400_No_required_SSL_certificate_was_sent()
    {
        using var client = Gateway.Client();
        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("No required SSL certificate was sent", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Untrusted_expired_and_non_client_purpose_certificates_get_400_The_SSL_certificate_error()
    {
        using var serverPurpose = TestCertificates.CreateClient("server-purpose", TestCertificates.ClientCa, TestCertificates.ServerAuthentication);
        foreach (var certificate in new[] { TestCertificates.SelfSignedClient, TestCertificates.ExpiredClient, serverPurpose })
        {
            using var client = Gateway.Client(certificate);
            using var response = await client.GetAsync("/");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("The SSL certificate error", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_trusted_certificate_reaches_the_backend_with_verification_SUCCESS()
    {
        using var client = Gateway.Client(TestCertificates.ValidClient);
        var echo = await Gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/"));

        Assert.Equal("SUCCESS", echo.Header("X-Client-Cert-Verification"));
        Assert.Equal("CN=valid-client,OU=Clients,O=Gatehouse Tests,C=US", echo.Header("X-Client-Cert-Subject"));
    }

    [Fact]
    public async Task The_CertificateRequest_names_the_trusted_client_CA()
    {
        var result = await Tool.RunAsync("openssl", "s_client", "-connect", $"127.0.0.1:{Gateway.Port}", "-servername", "localhost", "-tls1_2");

        Assert.Contains("Acceptable client certificate CA names", result.Output);
        Assert.Contains("CN = Gatehouse Test Client CA", result.Output);
    }

    [Fact]
    public async Task Curl_with_a_trusted_certificate_succeeds_and_without_one_gets_400()
    {
        var (certificate, key) = Gateway.Files.Client(TestCertificates.ValidClient, "valid");

        var responses = await Gateway.CurlAsync(["--cert", certificate, "--key", key, "https://localhost/"], ["https://localhost/"]);

        Assert.Equal([200, 400], responses.Select(r => r.Status));
        Assert.Contains("No required SSL certificate was sent", responses[1].Body);
    }

    [Fact]
    public async Task The_400_pages_are_nginx_pages_signed_by_Azure_and_close_the_connection()
    {
        using var anonymous = Gateway.Client();
        using var missing = await anonymous.GetAsync("/");
        using var untrusted = Gateway.Client(TestCertificates.SelfSignedClient);
        using var failed = await untrusted.GetAsync("/");

        Assert.Equal(Page("400 No required SSL certificate was sent", "No required SSL certificate was sent"), await missing.Content.ReadAsStringAsync());
        Assert.Equal(Page("400 The SSL certificate error", "The SSL certificate error"), await failed.Content.ReadAsStringAsync());
        Assert.True(missing.Headers.ConnectionClose);
        Assert.Equal("text/html", missing.Content.Headers.ContentType?.MediaType);
    }

    private static string Page(string title, string detail) =>
        $"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n" +
        $"<center>{detail}</center>\r\n<hr><center>Microsoft-Azure-Application-Gateway/v2</center>\r\n</body>\r\n</html>\r\n";
}
