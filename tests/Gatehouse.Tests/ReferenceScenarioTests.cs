using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Gatehouse.Tests;

/// <summary>The quickstart's mTLS Passthrough template, deployed with the command line and used with curl; on each store (the classes below).</summary>
public abstract class ReferenceScenarioTests(DeployedGateway gateway)
{
    [Fact]
    public async Task A_client_without_a_certificate_is_served_and_the_backend_sees_no_certificate()
    {
        var echo = await gateway.GetThroughGatewayAsync();
        Assert.Equal("NONE", DeployedGateway.Header(echo, "X-Client-Cert-Verification"));
        Assert.Null(DeployedGateway.Header(echo, "X-Client-Cert"));
    }

    [Fact]
    public async Task A_client_certificate_reaches_the_backend_url_encoded()
    {
        var echo = await gateway.GetThroughGatewayAsync("--cert", gateway.Certificates.ClientPem, "--key", gateway.Certificates.ClientKey);

        Assert.Equal("PASSTHROUGH", DeployedGateway.Header(echo, "X-Client-Cert-Verification"));
        var forwarded = X509Certificate2.CreateFromPem(WebUtility.UrlDecode(DeployedGateway.Header(echo, "X-Client-Cert")!));
        var presented = X509Certificate2.CreateFromPem(File.ReadAllText(gateway.Certificates.ClientPem));
        Assert.Equal(presented.RawData, forwarded.RawData);
        Assert.Equal(Convert.ToHexStringLower(presented.GetCertHash()), DeployedGateway.Header(echo, "X-Client-Cert-Fingerprint"));
    }

    [Fact]
    public async Task Expired_and_self_signed_certificates_are_passed_through_for_the_backend_to_judge()
    {
        var expired = await gateway.GetThroughGatewayAsync("--cert", gateway.Certificates.ExpiredClientPem, "--key", gateway.Certificates.ExpiredClientKey);
        var selfSigned = await gateway.GetThroughGatewayAsync("--cert", gateway.Certificates.SelfSignedClientPem, "--key", gateway.Certificates.SelfSignedClientKey);

        Assert.Equal("PASSTHROUGH", DeployedGateway.Header(expired, "X-Client-Cert-Verification"));
        Assert.Contains("CN=expired-client", DeployedGateway.Header(expired, "X-Client-Cert-Subject"));
        Assert.Equal("PASSTHROUGH", DeployedGateway.Header(selfSigned, "X-Client-Cert-Verification"));
        Assert.Equal("CN=self-signed-client", DeployedGateway.Header(selfSigned, "X-Client-Cert-Issuer"));
    }

    [Fact]
    public async Task A_forged_certificate_header_never_reaches_the_backend()
    {
        var echo = await gateway.GetThroughGatewayAsync("-H", "X-Client-Cert: forged", "-H", "X-Client-Cert-Verification: SUCCESS");
        Assert.Null(DeployedGateway.Header(echo, "X-Client-Cert"));
        Assert.Equal("NONE", DeployedGateway.Header(echo, "X-Client-Cert-Verification"));
    }

    [Fact]
    public async Task The_backend_gets_azures_forwarding_headers()
    {
        var echo = await gateway.GetThroughGatewayAsync("-H", "X-Forwarded-For: 203.0.113.7");
        Assert.Matches(@"^203\.0\.113\.7, 127\.0\.0\.1:\d+$", DeployedGateway.Header(echo, "X-Forwarded-For"));
        Assert.Equal("https", DeployedGateway.Header(echo, "X-Forwarded-Proto"));
        Assert.Equal("444", DeployedGateway.Header(echo, "X-Forwarded-Port"));
        Assert.Equal($"localhost:{gateway.Port}", DeployedGateway.Header(echo, "X-Original-Host"));
    }

    [Fact]
    public async Task TLS_1_1_is_refused_and_TLS_1_2_and_1_3_are_accepted()
    {
        Task<Completed> Handshake(string version, string? cipher = null) => GatehouseProcess.RunAsync(GatehouseProcess.StartInfo("openssl",
            ["s_client", "-connect", $"127.0.0.1:{gateway.Port}", "-servername", "localhost", version, .. cipher is null ? Array.Empty<string>() : ["-cipher", cipher]]), 30);

        var tls11 = await Handshake("-tls1_1", "DEFAULT@SECLEVEL=0");
        var tls12 = await Handshake("-tls1_2");
        var tls13 = await Handshake("-tls1_3");

        Assert.NotEqual(0, tls11.ExitCode);
        Assert.Contains("New, TLSv1.2, Cipher is ECDHE-", tls12.Stdout);
        Assert.Contains("New, TLSv1.3, Cipher is TLS_AES_", tls13.Stdout);
        // Passthrough still asks every client for a certificate.
        Assert.Contains("Requested Signature Algorithms", tls12.Stdout + tls13.Stdout);
    }

    [Fact]
    public async Task The_ssl_profile_reads_back_as_the_quickstart_shows_it_without_secrets()
    {
        var shown = await GatehouseProcess.RunGatehouseAsync("network", "application-gateway", "show", "-g", DeployedGateway.Group, "-n", "mtlsAppGw", "--data-dir", gateway.DataDirectory);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        var properties = JsonNode.Parse(shown.Stdout)!["properties"]!;
        var profile = properties["sslProfiles"]![0]!.AsObject();

        Assert.Equal(["name", "id", "etag", "properties"], profile.Select(p => p.Key));
        Assert.Equal("""{"verifyClientCertIssuerDN":false,"verifyClientRevocation":"None","verifyClientAuthMode":"Passthrough"}""",
            profile["properties"]!["clientAuthConfiguration"]!.ToJsonString());
        Assert.EndsWith("/httpListeners/listener2", (string)profile["properties"]!["httpListeners"]![0]!["id"]!);
        Assert.DoesNotContain(gateway.Certificates.PfxPassword, shown.Stdout);
        Assert.False(properties["sslCertificates"]![0]!["properties"]!.AsObject().ContainsKey("data"));
    }

    [Fact]
    public async Task Backend_health_lists_the_pool_settings_and_the_backend_that_serves()
    {
        await gateway.GetThroughGatewayAsync();

        var shown = await GatehouseProcess.RunGatehouseAsync("network", "application-gateway", "show-backend-health", "-g", DeployedGateway.Group, "-n", "mtlsAppGw", "--data-dir", gateway.DataDirectory);

        Assert.True(shown.ExitCode == 0, shown.ToString());
        var pool = JsonNode.Parse(shown.Stdout)!["backendAddressPools"]![0]!;
        Assert.EndsWith("/backendAddressPools/pool2", pool["backendAddressPool"]!["id"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        var server = pool["backendHttpSettingsCollection"]![0]!["servers"]![0]!;
        Assert.Contains(server["health"]!.GetValue<string>(), (string[])["Unknown", "Up"]);
    }

    [Theory]
    [InlineData("wrong password", "ApplicationGatewaySslCertificateInvalidPassword")]
    [InlineData("corrupt base64", "ApplicationGatewaySslCertificateInvalidData")]
    public async Task A_bad_certificate_fails_the_deployment_and_the_gateway_keeps_serving(string fault, string code)
    {
        var result = fault == "wrong password"
            ? await gateway.DeployAsync("not-the-password")
            : await gateway.DeployAsync(gateway.Certificates.PfxPassword, certData: "%%%not-base64%%%");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(code, result.Stderr);
        Assert.Contains("sslCertificates/sslCert", result.Stderr);
        Assert.DoesNotContain("not-the-password", result.Stderr);
        var echo = await gateway.GetThroughGatewayAsync();
        Assert.Equal("NONE", DeployedGateway.Header(echo, "X-Client-Cert-Verification"));
    }

    [Fact]
    public async Task A_parameter_file_with_placeholders_is_reported_by_name_and_nothing_changes()
    {
        var result = await GatehouseProcess.RunGatehouseAsync(
            "deployment", "group", "create", "-g", DeployedGateway.Group, "--data-dir", gateway.DataDirectory,
            "--template-file", GatehouseProcess.Example("deploymentTemplate.json"),
            "--parameters", "@" + GatehouseProcess.Example("deploymentParameters.json"));

        Assert.NotEqual(0, result.ExitCode);
        var error = JsonNode.Parse(result.Stderr)!["error"]!.ToJsonString();
        Assert.Contains("certData", error);
        Assert.Contains("certPassword", error);
        Assert.Contains("placeholder", error);
        Assert.NotNull(await gateway.GetThroughGatewayAsync());
    }
}

public sealed class ReferenceScenarioTestsOnSqlite(DeployedGateway gateway) : ReferenceScenarioTests(gateway), IClassFixture<DeployedGateway>;

[Collection(PostgresCluster.Collection)]
public sealed class ReferenceScenarioTestsOnPostgres(DeployedGatewayOnPostgres gateway) : ReferenceScenarioTests(gateway), IClassFixture<DeployedGatewayOnPostgres>;
