using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Network.ApplicationGateways;
using static Gatehouse.Gateway.Tests.Support.TestCertificates;

namespace Gatehouse.Gateway.Tests;

public sealed class OcspGatewayFixture : IAsyncLifetime
{
    public RunningGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await RunningGateway.StartAsync(port =>
        (TestGateways.Strict(revocation: ClientRevocation.Ocsp), TestGateways.Environment(port)));

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>
/// verifyClientRevocation OCSP (appgw-behaviour §1.3): a Strict listener asks the responder in the client
/// certificate's AIA, a real openssl ocsp on loopback, and admits only certificates it calls good.
/// </summary>
public sealed class OcspTests(OcspGatewayFixture fixture) : IClassFixture<OcspGatewayFixture>
{
    private RunningGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task A_good_certificate_reaches_the_backend_with_verification_SUCCESS()
    {
        await using var responder = new OcspResponder(ClientCa);
        using var good = CreateClient("ocsp-good", ClientCa, ocsp: responder.Url);
        await responder.StartAsync(good: [good], revoked: []);

        using var client = Gateway.Client(good);
        var echo = await Gateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/"));

        Assert.Equal("SUCCESS", echo.Header("X-Client-Cert-Verification"));
        Assert.Equal("CN=ocsp-good,OU=Clients,O=Gatehouse Tests,C=US", echo.Header("X-Client-Cert-Subject"));
    }

    [Fact]
    public async Task A_responder_the_issuer_delegated_to_may_answer()
    {
        using var delegated = CreateClient("ocsp-responder", ClientCa, OcspSigning);
        await using var responder = new OcspResponder(ClientCa, delegated);
        using var good = CreateClient("ocsp-delegated", ClientCa, ocsp: responder.Url);
        await responder.StartAsync(good: [good], revoked: []);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Gateway, good)).Status);
    }

    [Fact]
    public async Task An_answer_signed_by_anyone_else_gets_400()
    {
        using var otherCa = CreateCa("Other OCSP CA");
        using var notForOcsp = CreateClient("not-an-ocsp-responder", ClientCa);
        using var otherIssuer = CreateClient("other-ocsp-responder", otherCa, OcspSigning);
        foreach (var signer in new[] { notForOcsp, otherIssuer, otherCa })
        {
            await using var responder = new OcspResponder(ClientCa, signer);
            using var good = CreateClient("ocsp-forged", ClientCa, ocsp: responder.Url);
            await responder.StartAsync(good: [good], revoked: []);

            await AssertCertificateErrorAsync(good);
        }
    }

    [Fact]
    public async Task A_revoked_certificate_gets_400_The_SSL_certificate_error()
    {
        await using var responder = new OcspResponder(ClientCa);
        using var revoked = CreateClient("ocsp-revoked", ClientCa, ocsp: responder.Url);
        await responder.StartAsync(good: [], revoked: [revoked]);

        await AssertCertificateErrorAsync(revoked);
    }

    [Fact]
    public async Task A_certificate_the_responder_does_not_know_gets_400()
    {
        await using var responder = new OcspResponder(ClientCa);
        using var unknown = CreateClient("ocsp-unknown", ClientCa, ocsp: responder.Url);
        await responder.StartAsync(good: [], revoked: []);

        await AssertCertificateErrorAsync(unknown);
    }

    [Fact]
    public async Task An_unreachable_responder_gets_400()
    {
        // Never started: the AIA names a closed port.
        await using var closed = new OcspResponder(ClientCa);
        using var certificate = CreateClient("ocsp-unreachable", ClientCa, ocsp: closed.Url);

        await AssertCertificateErrorAsync(certificate);
    }

    [Fact]
    public async Task A_certificate_without_a_responder_in_its_AIA_gets_400()
    {
        await AssertCertificateErrorAsync(ValidClient);
    }

    [Fact]
    public async Task A_new_connection_with_the_same_certificate_is_answered_from_the_cache()
    {
        await using var responder = new OcspResponder(ClientCa);
        using var good = CreateClient("ocsp-cached", ClientCa, ocsp: responder.Url);
        await responder.StartAsync(good: [good], revoked: []);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Gateway, good)).Status);

        await responder.StopAsync();
        var connections = 0;
        using var client = Gateway.Client(good, onConnect: () => Interlocked.Increment(ref connections));
        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, connections);
    }

    [Fact]
    public async Task Every_request_on_a_connection_shares_the_one_answer()
    {
        await using var responder = new OcspResponder(ClientCa);
        using var good = CreateClient("ocsp-keep-alive", ClientCa, ocsp: responder.Url);
        await responder.StartAsync(good: [good], revoked: []);
        var (certificate, key) = Gateway.Files.Client(good, "ocsp-keep-alive");

        var responses = await Gateway.CurlAsync(
            ["--cert", certificate, "--key", key, "https://localhost/first"],
            ["--cert", certificate, "--key", key, "https://localhost/second"]);

        Assert.Equal([200, 200], responses.Select(r => r.Status));
        Assert.Equal([true, false], responses.Select(r => r.NewConnection));
    }

    [Fact]
    public async Task With_revocation_None_a_revoked_certificate_passes()
    {
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.Strict(), TestGateways.Environment(port)));
        await using var responder = new OcspResponder(ClientCa);
        using var revoked = CreateClient("ocsp-ignored", ClientCa, ocsp: responder.Url);
        await responder.StartAsync(good: [], revoked: [revoked]);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(gateway, revoked)).Status);
    }

    private async Task AssertCertificateErrorAsync(X509Certificate2 certificate)
    {
        var (status, body) = await GetAsync(Gateway, certificate);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("The SSL certificate error", body);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(RunningGateway gateway, X509Certificate2 certificate)
    {
        using var client = gateway.Client(certificate);
        using var response = await client.GetAsync("/");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
