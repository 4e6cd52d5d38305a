using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Tests;

/// <summary>The requests that carry no valid token, as each test names them, and how curl sends them.</summary>
internal static class BadTokens
{
    public static TheoryData<string> Kinds => new(
        "expired", "not yet valid", "wrong audience", "wrong tenant", "wrong signature", "alg none", "not a JWT", "not Bearer", "missing");

    public static async Task<string[]> CurlArgumentsAsync(EntraGateway gateway, string kind)
    {
        var now = DateTime.UtcNow;
        string? token = kind switch
        {
            "expired" => gateway.Forge(d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddHours(-2), now.AddHours(-2), now.AddHours(-1))),
            "not yet valid" => gateway.Forge(d => (d.IssuedAt, d.NotBefore, d.Expires) = (now, now.AddHours(1), now.AddHours(2))),
            // A real token from the issuer, for another application than the gateway's.
            "wrong audience" => await gateway.TokenAsync(forAppId: gateway.Client.AppId),
            "wrong tenant" => gateway.Forge(d =>
            {
                var tenant = Guid.NewGuid().ToString();
                d.Issuer = $"{gateway.Client.Authority}/{tenant}/v2.0";
                d.Claims["tid"] = tenant;
            }),
            // Signed by another key under the issuer's key id.
            "wrong signature" => gateway.Forge(_ => { }, new RsaSecurityKey(RSA.Create(2048)) { KeyId = gateway.SigningKey().KeyId }),
            "alg none" => Unsigned(await gateway.TokenAsync()),
            "not a JWT" => "not-a-jwt",
            _ => null,
        };
        return kind switch
        {
            "not Bearer" => ["-H", "Authorization: Basic " + Convert.ToBase64String("user:password"u8)],
            "missing" => [],
            _ => ["-H", "Authorization: Bearer " + token],
        };
    }

    /// <summary>The token's claims under <c>alg: none</c> and without a signature.</summary>
    private static string Unsigned(string token) =>
        $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{token.Split('.')[1]}.";

    public static string Identity(string token)
    {
        var jwt = new JsonWebToken(token);
        return $"{jwt.GetPayloadValue<string>("tid")}:{jwt.GetPayloadValue<string>("oid")}";
    }
}

/// <summary>unAuthorizedRequestAction Deny: a request without a valid token is answered 401 and never reaches the backend.</summary>
public sealed class EntraJwtDenyTests(DenyingEntraGateway gateway) : IClassFixture<DenyingEntraGateway>
{
    [Fact]
    public async Task A_valid_token_from_the_issuer_reaches_the_backend_with_the_callers_tenant_and_object_id()
    {
        var token = await gateway.TokenAsync();

        var reply = await gateway.SendWithTokenAsync(token);

        Assert.Equal(200, reply.Status);
        Assert.Equal(BadTokens.Identity(token), reply.BackendHeader("x-msft-entra-identity"));
        Assert.StartsWith(gateway.Api.Tenant + ":", reply.BackendHeader("x-msft-entra-identity"));
    }

    [Theory]
    [MemberData(nameof(BadTokens.Kinds), MemberType = typeof(BadTokens))]
    public async Task A_request_without_a_valid_token_is_answered_401_with_a_bearer_challenge(string kind)
    {
        var reply = await gateway.SendAsync(await BadTokens.CurlArgumentsAsync(gateway, kind));

        Assert.Equal(401, reply.Status);
        Assert.Equal("Bearer", reply.Header("WWW-Authenticate"));
        Assert.Null(reply.Echo);
        Assert.Contains("Microsoft-Azure-Application-Gateway", reply.Body);
    }

    [Fact]
    public async Task A_forged_identity_header_is_replaced_by_the_tokens_and_alone_gets_401()
    {
        var token = await gateway.TokenAsync();

        var withToken = await gateway.SendWithTokenAsync(token, "-H", "x-msft-entra-identity: forged:admin", "-H", "X_MSFT_ENTRA_IDENTITY: forged:admin");
        var alone = await gateway.SendAsync("-H", "x-msft-entra-identity: forged:admin");

        Assert.Equal(BadTokens.Identity(token), withToken.BackendHeader("x-msft-entra-identity"));
        Assert.DoesNotContain("forged", withToken.Body);
        Assert.Equal(401, alone.Status);
    }

    [Fact]
    public async Task The_access_log_records_each_requests_outcome()
    {
        await gateway.SendWithTokenAsync(await gateway.TokenAsync(), "-H", "X-Test: logged-valid");
        await gateway.SendAsync(["-H", "User-Agent: logged-expired", .. await BadTokens.CurlArgumentsAsync(gateway, "expired")]);

        var log = Path.Combine(gateway.Gateway.DataDirectory, "logs", "access.log");
        JsonNode? Line(string userAgent) => File.Exists(log)
            ? File.ReadLines(log).Select(l => JsonNode.Parse(l)!).LastOrDefault(l => (string?)l["properties"]!["userAgent"] == userAgent)
            : null;
        for (var attempt = 0; attempt < 50 && Line("logged-expired") is null; attempt++) await Task.Delay(100);

        Assert.Equal("INVALID:Expired", (string?)Line("logged-expired")?["properties"]!["entraJwtValidation"]);
        Assert.Equal(401, (int?)Line("logged-expired")?["properties"]!["httpStatus"]);
        Assert.Contains(File.ReadLines(log), l => l.Contains("\"entraJwtValidation\":\"VALID\"", StringComparison.Ordinal));
    }
}

/// <summary>
/// unAuthorizedRequestAction Allow on the reference Passthrough listener: mixed traffic. Certificate clients and token
/// clients share the listener; the backend sees each as what it is, and a request without a valid token as neither.
/// </summary>
public sealed class EntraJwtAllowTests(AllowingEntraGateway gateway) : IClassFixture<AllowingEntraGateway>
{
    [Theory]
    [MemberData(nameof(BadTokens.Kinds), MemberType = typeof(BadTokens))]
    public async Task A_request_without_a_valid_token_is_forwarded_without_identity(string kind)
    {
        var reply = await gateway.SendAsync(await BadTokens.CurlArgumentsAsync(gateway, kind));

        Assert.Equal(200, reply.Status);
        Assert.Null(reply.BackendHeader("x-msft-entra-identity"));
    }

    [Fact]
    public async Task A_forged_identity_header_never_reaches_the_backend()
    {
        var reply = await gateway.SendAsync("-H", "x-msft-entra-identity: forged:admin", "-H", "X-Msft-Entra-Identity-Extra: kept");

        Assert.Null(reply.BackendHeader("x-msft-entra-identity"));
        Assert.Equal("kept", reply.BackendHeader("X-Msft-Entra-Identity-Extra"));
    }

    [Fact]
    public async Task A_certificate_client_and_a_token_client_are_served_side_by_side_each_seen_as_what_it_is()
    {
        var token = await gateway.TokenAsync();
        var certificates = gateway.Gateway.Certificates;

        var replies = await Task.WhenAll(
            gateway.SendAsync("--cert", certificates.ClientPem, "--key", certificates.ClientKey),
            gateway.SendWithTokenAsync(token),
            gateway.SendAsync(),
            gateway.SendAsync("--cert", certificates.ClientPem, "--key", certificates.ClientKey),
            gateway.SendWithTokenAsync(token));
        var (certificate, tokenClient, neither) = (replies[0], replies[1], replies[2]);

        Assert.All(replies, r => Assert.Equal(200, r.Status));
        Assert.Equal("PASSTHROUGH", certificate.BackendHeader("X-Client-Cert-Verification"));
        Assert.NotNull(certificate.BackendHeader("X-Client-Cert"));
        Assert.Null(certificate.BackendHeader("x-msft-entra-identity"));
        Assert.Equal(BadTokens.Identity(token), tokenClient.BackendHeader("x-msft-entra-identity"));
        Assert.Equal("NONE", tokenClient.BackendHeader("X-Client-Cert-Verification"));
        Assert.Null(tokenClient.BackendHeader("X-Client-Cert"));
        Assert.Equal("NONE", neither.BackendHeader("X-Client-Cert-Verification"));
        Assert.Null(neither.BackendHeader("x-msft-entra-identity"));
        Assert.Equal(certificate.BackendHeader("X-Client-Cert"), replies[3].BackendHeader("X-Client-Cert"));
        Assert.Equal(tokenClient.BackendHeader("x-msft-entra-identity"), replies[4].BackendHeader("x-msft-entra-identity"));
    }
}

/// <summary>A signing key rollover at the issuer, picked up by the running gateway without a restart.</summary>
public sealed class EntraKeyRolloverTests(DenyingEntraGateway gateway) : IClassFixture<DenyingEntraGateway>
{
    [Fact]
    public async Task A_token_signed_with_a_new_key_is_accepted_and_one_signed_with_a_retired_key_is_refused()
    {
        var old = await gateway.TokenAsync();
        Assert.Equal(200, (await gateway.SendWithTokenAsync(old)).Status);

        // Twice: the first rotation keeps the old key published beside the new one, the second retires it.
        foreach (var _ in new[] { 1, 2 })
        {
            var rotated = await GatehouseProcess.RunGatehouseAsync("ad", "signing-key", "rotate", "--data-dir", gateway.Gateway.DataDirectory);
            Assert.True(rotated.ExitCode == 0, rotated.ToString());
        }
        var fresh = await gateway.TokenAsync();
        Assert.NotEqual(new JsonWebToken(old).Kid, new JsonWebToken(fresh).Kid);

        // The unknown key makes the gateway fetch the keys again, in the background: the first tries may still fail.
        var accepted = false;
        for (var attempt = 0; attempt < 40 && !accepted; attempt++)
        {
            accepted = (await gateway.SendWithTokenAsync(fresh)).Status == 200;
            if (!accepted) await Task.Delay(250);
        }

        Assert.True(accepted, "The gateway never accepted a token signed with the new key.");
        Assert.Equal(401, (await gateway.SendWithTokenAsync(old)).Status);
    }
}
