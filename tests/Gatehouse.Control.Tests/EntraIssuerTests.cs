using System.Net;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Control.Tests;

/// <summary>The local Entra-compatible issuer: registrations, v2 client-credentials tokens, OpenID metadata and key rollover.</summary>
public sealed class EntraIssuerTests : IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        await server.SignInAsync();
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private string Tenant => server.Server.Credentials.TenantId;

    private string Authority => server.Server.ManagementUrl.ToString().TrimEnd('/');

    private async Task<(string AppId, string Password)> RegisterAsync(string name)
    {
        using var response = await server.Http.PostAsync("v1.0/applications", new StringContent($$"""{"displayName":"{{name}}"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return ((string)body["appId"]!, (string)body["passwordCredentials"]![0]!["secretText"]!);
    }

    private async Task<HttpResponseMessage> TokenAsync(string tenant, string clientId, string secret, string scope) =>
        await server.NewClient(followRedirects: false).PostAsync($"{tenant}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope,
        }));

    private async Task<JsonObject> GetJsonAsync(string path, RunningServer? from = null) =>
        JsonNode.Parse(await (from ?? server).NewClient(followRedirects: false).GetStringAsync(path))!.AsObject();

    private async Task<TokenValidationResult> ValidateAsync(string token, string audience)
    {
        var keys = new JsonWebKeySet((await GetJsonAsync($"{Tenant}/discovery/v2.0/keys")).ToJsonString());
        var metadata = await GetJsonAsync($"{Tenant}/v2.0/.well-known/openid-configuration");
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = (string)metadata["issuer"]!,
            ValidAudience = audience,
            IssuerSigningKeys = keys.GetSigningKeys(),
        });
    }

    [Fact]
    public async Task A_registered_client_gets_a_v2_access_token_for_a_registered_api_that_validates_against_the_published_keys()
    {
        var api = await RegisterAsync("api");
        var client = await RegisterAsync("client");

        using var response = await TokenAsync(Tenant, client.AppId, client.Password, $"api://{api.AppId}/.default");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!;
        var result = await ValidateAsync(token, api.AppId);
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal($"{Authority}/{Tenant}/v2.0", jwt.Issuer);
        Assert.Equal(Tenant, jwt.GetClaim("tid").Value);
        Assert.Equal("2.0", jwt.GetClaim("ver").Value);
        Assert.Equal(client.AppId, jwt.GetClaim("azp").Value);
        Assert.True(Guid.TryParse(jwt.GetClaim("oid").Value, out _));
        Assert.NotEqual(client.AppId, jwt.GetClaim("oid").Value);
    }

    [Fact]
    public async Task A_wrong_password_an_unknown_api_and_an_unknown_tenant_get_no_token()
    {
        var api = await RegisterAsync("api");
        var client = await RegisterAsync("client");

        using var wrongPassword = await TokenAsync(Tenant, client.AppId, client.Password + "x", $"api://{api.AppId}/.default");
        using var unknownApi = await TokenAsync(Tenant, client.AppId, client.Password, $"api://{Guid.NewGuid()}/.default");
        using var unknownTenant = await TokenAsync(Guid.NewGuid().ToString(), client.AppId, client.Password, $"api://{api.AppId}/.default");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Contains("invalid_client", await wrongPassword.Content.ReadAsStringAsync());
        Assert.Contains("AADSTS500011", await unknownApi.Content.ReadAsStringAsync());
        Assert.Contains("AADSTS90002", await unknownTenant.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Common_metadata_names_entras_issuer_template_and_consumers_the_microsoft_account_tenant()
    {
        Assert.Equal($"{Authority}/{{tenantid}}/v2.0", (string)(await GetJsonAsync("common/v2.0/.well-known/openid-configuration"))["issuer"]!);
        Assert.Equal($"{Authority}/{{tenantid}}/v2.0", (string)(await GetJsonAsync("organizations/v2.0/.well-known/openid-configuration"))["issuer"]!);
        Assert.Equal($"{Authority}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0", (string)(await GetJsonAsync("consumers/v2.0/.well-known/openid-configuration"))["issuer"]!);
    }

    [Fact]
    public async Task A_rotation_keeps_the_previous_key_published_and_the_next_one_retires_it_and_keys_survive_a_restart()
    {
        async Task<string[]> Kids(RunningServer? from = null) =>
            [.. (await GetJsonAsync($"{Tenant}/discovery/v2.0/keys", from))["keys"]!.AsArray().Select(k => (string)k!["kid"]!)];
        var first = await Kids();

        using var rotated = await server.Http.PostAsync($"{Tenant}/discovery/v2.0/keys/rotate", null);
        var second = await Kids();
        using var again = await server.Http.PostAsync($"{Tenant}/discovery/v2.0/keys/rotate", null);
        var third = await Kids();
        await server.StopAsync();
        await using var restarted = await RunningServer.StartAsync(server.DataDirectory);

        Assert.Single(first);
        Assert.Equal(2, second.Length);
        Assert.Equal(first[0], second[1]);
        Assert.DoesNotContain(first[0], third);
        Assert.Equal(second[0], third[1]);
        Assert.Equal(third, await Kids(restarted));
    }

    [Fact]
    public async Task Registering_an_application_and_rotating_keys_need_the_management_token()
    {
        var anonymous = server.NewClient(followRedirects: false);
        using var register = await anonymous.PostAsync("v1.0/applications", new StringContent("""{"displayName":"x"}""", System.Text.Encoding.UTF8, "application/json"));
        using var rotate = await anonymous.PostAsync($"{Tenant}/discovery/v2.0/keys/rotate", null);
        Assert.Equal(HttpStatusCode.Unauthorized, register.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rotate.StatusCode);
    }
}
