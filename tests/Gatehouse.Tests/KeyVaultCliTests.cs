using System.Text.Json.Nodes;

namespace Gatehouse.Tests;

/// <summary>
/// Key Vault's secret API, driven by the real Azure CLI through the management port as its HTTPS proxy: a secret a
/// template made is read at <c>https://{vault}.vault.azure.net</c>, a set there is a new version of the ARM secret, and
/// a vault whose access policies do not name the caller answers Forbidden. Debian's az has no <c>az keyvault secret</c>
/// (its client library is not packaged), so az reaches the API as <c>az rest --resource https://vault.azure.net</c>.
/// </summary>
public sealed class KeyVaultCliTests(AzureCliSession az) : IClassFixture<AzureCliSession>
{
    private const string Secret = "https://kv-granted.vault.azure.net/secrets/app-secret";
    private const string KeyVaultApi = "api-version=7.4";

    /// <summary>A vault that grants the signed-in service principal get, list and set, with one secret; and a vault that grants nothing.</summary>
    private const string Template = """
        {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": { "objectId": { "type": "string" }, "secretValue": { "type": "securestring" } },
          "resources": [
            {
              "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-granted", "location": "[resourceGroup().location]",
              "properties": {
                "tenantId": "[subscription().tenantId]", "sku": { "family": "A", "name": "standard" },
                "accessPolicies": [ { "tenantId": "[subscription().tenantId]", "objectId": "[parameters('objectId')]", "permissions": { "secrets": [ "get", "list", "set" ] } } ]
              }
            },
            {
              "type": "Microsoft.KeyVault/vaults/secrets", "apiVersion": "2023-07-01", "name": "kv-granted/app-secret",
              "dependsOn": [ "[resourceId('Microsoft.KeyVault/vaults', 'kv-granted')]" ],
              "properties": { "value": "[parameters('secretValue')]" }
            },
            {
              "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-closed", "location": "[resourceGroup().location]",
              "properties": { "tenantId": "[subscription().tenantId]", "sku": { "family": "A", "name": "standard" }, "accessPolicies": [] }
            }
          ]
        }
        """;

    private Task<Completed> KeyVault(string method, string url, params string[] more) =>
        az.RunAsync(["rest", "--method", method, "--url", url, "--resource", "https://vault.azure.net", .. more]);

    [Fact]
    public async Task A_secret_set_through_the_Key_Vault_API_is_a_new_version_of_the_template_s_secret_and_a_vault_without_a_policy_forbids()
    {
        File.WriteAllText(Path.Combine(az.WorkDirectory, "keyVault.json"), Template);
        await az.RunAsync("deployment", "group", "create", "--resource-group", AzureCliSession.Group, "--template-file", "keyVault.json",
            "--parameters", $"objectId={az.ClientId}", "secretValue=made-by-the-template");

        var shown = JsonNode.Parse((await KeyVault("get", $"{Secret}?{KeyVaultApi}")).Stdout)!;
        Assert.Equal("made-by-the-template", shown["value"]!.GetValue<string>());
        var first = shown["id"]!.GetValue<string>();
        Assert.StartsWith(Secret + "/", first);
        Assert.True(shown["attributes"]!["enabled"]!.GetValue<bool>());

        var set = JsonNode.Parse((await KeyVault("put", $"{Secret}?{KeyVaultApi}", "--body", """{"value":"set-through-the-api","contentType":"text/plain"}""")).Stdout)!;
        var second = set["id"]!.GetValue<string>();
        Assert.StartsWith(Secret + "/", second);
        Assert.NotEqual(first, second);
        Assert.Equal("text/plain", set["contentType"]!.GetValue<string>());
        Assert.Equal("set-through-the-api", JsonNode.Parse((await KeyVault("get", $"{Secret}?{KeyVaultApi}")).Stdout)!["value"]!.GetValue<string>());
        Assert.Equal("made-by-the-template", JsonNode.Parse((await KeyVault("get", $"{first}?{KeyVaultApi}")).Stdout)!["value"]!.GetValue<string>());

        var versions = await KeyVault("get", $"{Secret}/versions?{KeyVaultApi}");
        Assert.Equal(new[] { first, second }.Order(), JsonNode.Parse(versions.Stdout)!["value"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()).Order());
        Assert.DoesNotContain("set-through-the-api", versions.Stdout);

        // ARM sees the same secret, at its new version, and never its value.
        var arm = await az.RunAsync("rest", "--method", "get", "--url",
            $"/subscriptions/{{subscriptionId}}/resourceGroups/{AzureCliSession.Group}/providers/Microsoft.KeyVault/vaults/kv-granted/secrets/app-secret?api-version=2023-07-01");
        Assert.Equal(second, JsonNode.Parse(arm.Stdout)!["properties"]!["secretUriWithVersion"]!.GetValue<string>());
        Assert.DoesNotContain("set-through-the-api", arm.Stdout);
        Assert.DoesNotContain("made-by-the-template", arm.Stdout);

        var forbidden = await az.TryAsync("rest", "--method", "get", "--url", $"https://kv-closed.vault.azure.net/secrets/app-secret?{KeyVaultApi}",
            "--resource", "https://vault.azure.net");
        Assert.NotEqual(0, forbidden.ExitCode);
        Assert.Contains("Forbidden", forbidden.Stderr);
        Assert.Contains($"appid={az.ClientId}", forbidden.Stderr);
        Assert.Contains("does not have secrets get permission on key vault \\u0027kv-closed;location=local\\u0027", forbidden.Stderr);
    }

    [Fact]
    public async Task Debian_az_keyvault_secret_fails_before_sending_a_request_for_want_of_its_client_library()
    {
        var show = await az.TryAsync("keyvault", "secret", "show", "--vault-name", "kv-granted", "--name", "app-secret");
        Assert.NotEqual(0, show.ExitCode);
        Assert.Contains("No module named 'azure.keyvault.v7_0'", show.Stderr);
    }

    /// <summary>
    /// Azure's own Key Vault SDK for Python (Debian's azure-keyvault-secrets): it sends each first request without a token,
    /// takes the authority and resource from the 401 challenge, checks that the vault host lies under the resource's
    /// domain, and then gets its token (here by client credentials at that authority, as azure-identity would).
    /// </summary>
    private const string SdkScript = """
        import os, sys, time, requests
        from azure.core.credentials import AccessToken
        from azure.keyvault.secrets import SecretClient

        class ClientSecretAtChallengeAuthority:
            def get_token(self, *scopes, **kwargs):
                reply = requests.post(os.environ["AUTHORITY"] + "/oauth2/token", data={"grant_type": "client_credentials",
                    "client_id": os.environ["CLIENT_ID"], "client_secret": os.environ["CLIENT_SECRET"], "scope": " ".join(scopes)})
                reply.raise_for_status()
                return AccessToken(reply.json()["access_token"], int(time.time()) + reply.json()["expires_in"])

        client = SecretClient("https://kv-sdk.vault.azure.net/", ClientSecretAtChallengeAuthority())
        print(client.get_secret("from-template").value)
        print(client.set_secret("from-template", "set-by-the-sdk").properties.version)
        print(len(list(client.list_properties_of_secret_versions("from-template"))))
        print(client.get_secret("from-template").value)
        """;

    [Fact]
    public async Task Azures_Python_Key_Vault_SDK_follows_the_challenge_to_a_token_and_reads_and_sets_a_secret()
    {
        File.WriteAllText(Path.Combine(az.WorkDirectory, "sdkVault.json"), Template.Replace("kv-granted", "kv-sdk").Replace("app-secret", "from-template"));
        await az.RunAsync("deployment", "group", "create", "--resource-group", AzureCliSession.Group, "--template-file", "sdkVault.json",
            "--parameters", $"objectId={az.ClientId}", "secretValue=made-by-the-template");
        File.WriteAllText(Path.Combine(az.WorkDirectory, "sdk.py"), SdkScript);

        var management = new Uri(az.Credential("managementUrl"));
        var info = GatehouseProcess.StartInfo("/usr/bin/python3", [Path.Combine(az.WorkDirectory, "sdk.py")]);
        info.Environment["AUTHORITY"] = management + "adfs";
        info.Environment["CLIENT_ID"] = az.ClientId;
        info.Environment["CLIENT_SECRET"] = az.Credential("clientSecret");
        info.Environment["REQUESTS_CA_BUNDLE"] = az.Credential("caFile");
        info.Environment["HTTPS_PROXY"] = az.Credential("keyVaultProxy");
        info.Environment["NO_PROXY"] = management.Host;
        var run = await GatehouseProcess.RunAsync(info, timeoutSeconds: 60);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("made-by-the-template", lines[0]);
        Assert.Matches("^[0-9a-f]{32}$", lines[1]);
        Assert.Equal(["2", "set-by-the-sdk"], lines[2..]);
    }
}
