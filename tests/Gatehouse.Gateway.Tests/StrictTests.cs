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
    public async Task Untrusted_and_expired_certificates_get_400_The_SSL_certificate_error()
    {
        foreach (var certificate in new[] { TestCertificates.SelfSignedClient, TestCertificates.ExpiredClient })
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
        string[] common = ["-sS", "--resolve", $"localhost:{Gateway.Port}:127.0.0.1", "--cacert", Gateway.Files.ServerCa,
            "-w", "\n%{http_code}", $"https://localhost:{Gateway.Port}/"];

        var trusted = await Tool.RunAsync("curl", [.. common, "--cert", certificate, "--key", key]);
        var anonymous = await Tool.RunAsync("curl", common);

        Assert.EndsWith("\n200", trusted.Output);
        Assert.EndsWith("\n400", anonymous.Output);
        Assert.Contains("No required SSL certificate was sent", anonymous.Output);
    }
}
