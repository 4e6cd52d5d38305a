using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Control.Security;

namespace Gatehouse.Control.Tests;

/// <summary>
/// Key Vault's secret API as a client that resolves <c>{vault}.vault.azure.net</c> to Azure reaches it locally: through
/// the management port as its HTTPS proxy. The challenge, the audience of its tokens, RBAC, and the proxy that opens
/// tunnels to vault hosts only.
/// </summary>
public sealed class KeyVaultDataPlaneTests
{
    private const string Api = "api-version=7.4";
    private const string SecretsUserRole = "4633458b-17de-408a-b874-0445c86b69e6";

    /// <summary>An RBAC vault on which the management service principal is a Key Vault Secrets User, with one secret.</summary>
    private static string Deployment(string principalId) => $$"""
        {
          "properties": {
            "mode": "Incremental",
            "template": {
              "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
              "contentVersion": "1.0.0.0",
              "resources": [
                { "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-rbac", "location": "westus",
                  "properties": { "tenantId": "[subscription().tenantId]", "sku": { "family": "A", "name": "standard" }, "enableRbacAuthorization": true } },
                { "type": "Microsoft.KeyVault/vaults/secrets", "apiVersion": "2023-07-01", "name": "kv-rbac/db-password",
                  "dependsOn": [ "[resourceId('Microsoft.KeyVault/vaults', 'kv-rbac')]" ], "properties": { "value": "stored-secret-value" } },
                { "type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "[guid('kv-rbac', 'secrets-user')]",
                  "scope": "[resourceId('Microsoft.KeyVault/vaults', 'kv-rbac')]",
                  "dependsOn": [ "[resourceId('Microsoft.KeyVault/vaults', 'kv-rbac')]" ],
                  "properties": { "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{{SecretsUserRole}}')]", "principalId": "{{principalId}}" } }
              ]
            }
          }
        }
        """;

    /// <summary>A client whose proxy is the management port and that trusts only the management CA.</summary>
    private static HttpClient ThroughProxy(RunningServer server) => new(new SocketsHttpHandler
    {
        Proxy = new WebProxy($"http://{server.Server.ManagementUrl.Authority}"),
        UseProxy = true,
        SslOptions = ManagementTrust.ClientOptions(server.DataDirectory),
    });

    private static async Task<string> TokenAsync(RunningServer server, string scope)
    {
        using var response = await server.Http.PostAsync("adfs/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = server.Server.Credentials.ClientId,
            ["client_secret"] = server.Server.Credentials.ClientSecret,
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
        }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers)> SendAsync(HttpClient client, HttpMethod method, string url,
        string? token, string? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Headers);
    }

    private static async Task<RunningServer> StartWithVaultAsync()
    {
        var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        var status = await server.DeployAsync("rg1", "vault", Deployment(server.Server.Credentials.ClientId));
        Assert.True(status["status"]!.GetValue<string>() == "Succeeded", status.ToJsonString());
        return server;
    }

    [Fact]
    public async Task A_request_without_a_token_gets_the_challenge_and_only_a_token_for_Key_Vault_is_accepted_there_and_not_by_ARM()
    {
        await using var server = await StartWithVaultAsync();
        using var client = ThroughProxy(server);
        const string Secret = "https://kv-rbac.vault.azure.net/secrets/db-password";

        var challenged = await SendAsync(client, HttpMethod.Get, $"{Secret}?{Api}", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.Status);
        Assert.Equal("Unauthorized", challenged.Body!["error"]!["code"]!.GetValue<string>());
        var challenge = challenged.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        // Key Vault's SDKs check that the vault host lies under the challenge resource's domain before they get a token.
        Assert.Contains("resource=\"https://vault.azure.net\"", challenge.Parameter);
        Assert.Contains($"authorization=\"{server.Server.ManagementUrl}adfs\"", challenge.Parameter);

        var managementToken = await TokenAsync(server, "https://management.gatehouse.local//.default");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, HttpMethod.Get, $"{Secret}?{Api}", managementToken)).Status);

        var vaultToken = await TokenAsync(server, "https://vault.azure.net/.default");
        var read = await SendAsync(client, HttpMethod.Get, $"{Secret}?{Api}", vaultToken);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal("stored-secret-value", read.Body!["value"]!.GetValue<string>());

        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", vaultToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourcegroups?{RunningServer.ApiVersion}")).Status);
    }

    [Fact]
    public async Task A_Secrets_User_role_reads_and_lists_but_may_not_set_and_an_unknown_secret_is_SecretNotFound()
    {
        await using var server = await StartWithVaultAsync();
        using var client = ThroughProxy(server);
        var token = await TokenAsync(server, "https://vault.azure.net/.default");
        const string Vault = "https://kv-rbac.vault.azure.net";

        var listed = await SendAsync(client, HttpMethod.Get, $"{Vault}/secrets?{Api}", token);
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Equal($"{Vault}/secrets/db-password", listed.Body!["value"]![0]!["id"]!.GetValue<string>());
        Assert.Null(listed.Body["value"]![0]!["value"]);

        var refused = await SendAsync(client, HttpMethod.Put, $"{Vault}/secrets/db-password?{Api}", token, """{"value":"new-secret-value"}""");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("Forbidden", refused.Body!["error"]!["code"]!.GetValue<string>());
        var message = refused.Body["error"]!["message"]!.GetValue<string>();
        Assert.StartsWith("Caller is not authorized to perform action on resource.", message);
        Assert.Contains("Action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'", message);
        Assert.Contains($"oid={server.Server.Credentials.ClientId}", message);
        Assert.Equal("stored-secret-value", (await SendAsync(client, HttpMethod.Get, $"{Vault}/secrets/db-password?{Api}", token)).Body!["value"]!.GetValue<string>());

        var missing = await SendAsync(client, HttpMethod.Get, $"{Vault}/secrets/no-such-secret?{Api}", token);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("SecretNotFound", missing.Body!["error"]!["code"]!.GetValue<string>());
        Assert.All(server.Logs.Lines, line => Assert.DoesNotContain("secret-value", line));
    }

    [Fact]
    public async Task The_management_port_opens_tunnels_to_vault_hosts_only()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = ThroughProxy(server);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("https://example.com/"));
        Assert.Contains("403", refused.ToString());
        // The port still serves the management API to a client that comes without a proxy.
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("adfs/.well-known/openid-configuration")).StatusCode);
    }
}
