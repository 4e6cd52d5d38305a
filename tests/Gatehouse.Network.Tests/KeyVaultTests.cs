using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.Vaults;

namespace Gatehouse.Network.Tests;

/// <summary>
/// The local Key Vault: secrets keep every version and never show a value; an identity reads a secret only when the
/// vault's access policies (or, with RBAC authorization, role assignments) let its principal get secrets.
/// </summary>
public sealed class KeyVaultTests
{
    private const string Group = "/subscriptions/s/resourceGroups/rg1";
    private const string Vaults = $"{Group}/providers/Microsoft.KeyVault/vaults";
    private const string IdentityId = $"{Group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/gw";
    private const string Secret = "https://vault1.vault.azure.net/secrets/cert";

    private readonly Dictionary<string, ProvisionedResource> _stored = new(StringComparer.OrdinalIgnoreCase);

    private ProvisionedResource Put(string id, string type, string body)
    {
        var name = string.Join('/', id.Split("/providers/")[^1].Split('/').Skip(2).Where((_, i) => i % 2 == 0));
        var resource = NetworkProvider.Provision(new ResourceInput(id, type, name, "2023-07-01", JsonNode.Parse(body)!.AsObject()) { TenantId = "t" },
            _stored.GetValueOrDefault);
        return _stored[id] = resource;
    }

    private string PrincipalId => (string)_stored[IdentityId].Body["properties"]!["principalId"]!;

    private ProvisionedResource PutSecret(string value) => Put($"{Vaults}/vault1/secrets/cert", "Microsoft.KeyVault/vaults/secrets", $$"""{ "properties": { "value": "{{value}}" } }""");

    private void PutVault(string properties) => Put($"{Vaults}/vault1", "Microsoft.KeyVault/vaults", $$"""{ "location": "westus", "properties": {{properties}} }""");

    private SecretRead Read(string secretId = Secret) => new KeyVaultSecrets(_stored.Values).Read("gw/sslCertificates/c", secretId, IdentityId);

    public KeyVaultTests() => Put(IdentityId, "Microsoft.ManagedIdentity/userAssignedIdentities", """{ "location": "westus" }""");

    [Fact]
    public void Each_new_secret_value_is_a_new_version_and_no_value_appears_in_a_get()
    {
        var first = PutSecret("one");
        var same = PutSecret("one");
        var second = PutSecret("two");

        string Uri(ProvisionedResource r) => (string)r.Body["properties"]!["secretUriWithVersion"]!;
        Assert.StartsWith(Secret + "/", Uri(first));
        Assert.Equal(Uri(first), Uri(same));
        Assert.NotEqual(Uri(first), Uri(second));
        var shown = NetworkProvider.Render(second, "2023-07-01").ToJsonString();
        Assert.DoesNotContain("one", shown);
        Assert.DoesNotContain("two", shown);
        Assert.Contains(Secret, shown);
    }

    [Fact]
    public void A_versioned_secret_id_reads_that_version_and_a_versionless_one_the_latest()
    {
        PutVault($$"""{ "accessPolicies": [ { "tenantId": "t", "objectId": "{{PrincipalId}}", "permissions": { "secrets": [ "Get" ] } } ] }""");
        var first = (string)PutSecret("one").Body["properties"]!["secretUriWithVersion"]!;
        PutSecret("two");

        Assert.Equal("one", Read(first).Value);
        Assert.Equal("two", Read().Value);
        Assert.Equal("two", Read(Secret + "/").Value);
        Assert.Equal("SecretDeletedFromKeyVault", Read(Secret + "/0123456789abcdef0123456789abcdef").Error?.Code);
    }

    [Fact]
    public void A_secret_is_read_through_an_access_policy_granting_get_and_refused_with_azures_code_otherwise()
    {
        PutVault($$"""{ "accessPolicies": [ { "tenantId": "t", "objectId": "{{PrincipalId}}", "permissions": { "secrets": [ "list" ] } } ] }""");
        PutSecret("one");
        var refused = Read();
        PutVault($$"""{ "accessPolicies": [ { "tenantId": "t", "objectId": "{{PrincipalId}}", "permissions": { "secrets": [ "get", "list" ] } } ] }""");

        Assert.Equal("UserAssignedIdentityDoesNotHaveGetPermissionOnKeyVault", refused.Error?.Code);
        Assert.Null(refused.Value);
        Assert.Equal("one", Read().Value);
        Assert.Equal("SecretDeletedFromKeyVault", Read("https://vault1.vault.azure.net/secrets/other").Error?.Code);
        Assert.Equal("KeyVaultSoftDeleted", Read("https://vault2.vault.azure.net/secrets/cert").Error?.Code);
        Assert.Equal("UserAssignedManagedIdentityNotFound",
            new KeyVaultSecrets(_stored.Values).Read("gw/sslCertificates/c", Secret, IdentityId + "x").Error?.Code);
    }

    [Fact]
    public void A_vault_with_rbac_authorization_reads_role_assignments_on_the_vault_not_access_policies()
    {
        PutVault($$"""{ "enableRbacAuthorization": true, "accessPolicies": [ { "tenantId": "t", "objectId": "{{PrincipalId}}", "permissions": { "secrets": [ "get" ] } } ] }""");
        PutSecret("one");
        var byPolicy = Read();
        string Assign(string scope, string name, string role) => Put($"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", "Microsoft.Authorization/roleAssignments",
            $$"""{ "properties": { "roleDefinitionId": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/{{role}}", "principalId": "{{PrincipalId}}" } }""").Id;
        // Reader on the vault reads no secret; Key Vault Secrets User does, on the vault or on its resource group.
        Assign($"{Vaults}/vault1", "reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7");
        var byReader = Read();
        var onGroup = Assign(Group, "group", "4633458b-17de-408a-b874-0445c86b69e6");
        var byGroupRole = Read();
        _stored.Remove(onGroup);
        Assign($"{Vaults}/vault2", "other", "4633458b-17de-408a-b874-0445c86b69e6");
        var onAnotherVault = Read();

        Assert.Equal("UserAssignedIdentityDoesNotHaveGetPermissionOnKeyVault", byPolicy.Error?.Code);
        Assert.Equal("UserAssignedIdentityDoesNotHaveGetPermissionOnKeyVault", byReader.Error?.Code);
        Assert.Equal("one", byGroupRole.Value);
        Assert.Equal("UserAssignedIdentityDoesNotHaveGetPermissionOnKeyVault", onAnotherVault.Error?.Code);
        Assert.Equal($"{Vaults}/vault1", (string?)_stored[$"{Vaults}/vault1/providers/Microsoft.Authorization/roleAssignments/reader"].Body["properties"]!["scope"]);
    }

    [Fact]
    public void A_template_deployment_reads_a_secret_only_from_a_vault_enabled_for_it_with_ARMs_errors_otherwise()
    {
        PutVault("""{ "accessPolicies": [] }""");
        PutSecret("one");
        ArmError Refused(string vaultId, string secret) =>
            Assert.Throws<ArmException>(() => new KeyVaultSecrets(_stored.Values).ReadForTemplateDeployment("p", vaultId, secret, null)).Error;
        var notEnabled = Refused($"{Vaults}/vault1", "cert");
        PutVault("""{ "accessPolicies": [], "enabledForTemplateDeployment": true }""");

        Assert.Equal(("KeyVaultParameterReferenceSecretRetrieveFailed", "parameters.p"), (notEnabled.Code, notEnabled.Target));
        Assert.Contains("enabledForTemplateDeployment", notEnabled.Message);
        Assert.Equal("KeyVaultParameterReferenceNotFound", Refused($"{Vaults}/vault2", "cert").Code);
        Assert.Equal("KeyVaultParameterReferenceSecretRetrieveFailed", Refused($"{Vaults}/vault1", "other").Code);
        Assert.Equal("one", new KeyVaultSecrets(_stored.Values).ReadForTemplateDeployment("p", $"{Vaults}/vault1", "cert", null));
        Assert.DoesNotContain("one", notEnabled.Message);
    }

    [Theory]
    [InlineData("\"get\"", "Get")]
    [InlineData("\"Get\", \"List\"", "Get List")]
    [InlineData("\"set\"", "Set")]
    [InlineData("\"all\"", "Get List Set")]
    public void An_access_policy_allows_the_secret_permissions_it_names(string secrets, string allowed)
    {
        PutVault($$"""{ "accessPolicies": [ { "tenantId": "t", "objectId": "{{PrincipalId}}", "permissions": { "secrets": [ {{secrets}} ] } } ] }""");
        var vaults = new KeyVaultSecrets(_stored.Values);
        var vault = vaults.Vault("VAULT1")!;

        Assert.Equal(allowed, string.Join(' ', Enum.GetValues<SecretPermission>().Where(p => vaults.Allows(vault, PrincipalId, p))));
        Assert.False(vaults.Allows(vault, "another-principal", SecretPermission.Get));
    }

    [Theory]
    [InlineData("00482a5a-887f-4fb3-b363-3b7fe8e74483", "Get List Set")]
    [InlineData("b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Get List Set")]
    [InlineData("4633458b-17de-408a-b874-0445c86b69e6", "Get List")]
    [InlineData("21090545-7ca7-4776-b22c-e363652d74d2", "List")]
    [InlineData("acdd72a7-3385-48ef-bd42-f606fba81ae7", "")]
    public void A_role_on_an_rbac_vault_allows_what_its_secret_data_actions_allow(string role, string allowed)
    {
        PutVault("""{ "enableRbacAuthorization": true }""");
        Put($"{Vaults}/vault1/providers/Microsoft.Authorization/roleAssignments/a", "Microsoft.Authorization/roleAssignments",
            $$"""{ "properties": { "roleDefinitionId": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/{{role}}", "principalId": "{{PrincipalId}}" } }""");
        var vaults = new KeyVaultSecrets(_stored.Values);

        Assert.Equal(allowed, string.Join(' ', Enum.GetValues<SecretPermission>().Where(p => vaults.Allows(vaults.Vault("vault1")!, PrincipalId, p))));
    }

    [Fact]
    public void A_vaults_secrets_show_each_version_oldest_first_with_the_time_it_was_made()
    {
        PutVault("""{ "accessPolicies": [] }""");
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        PutSecret("one");
        PutSecret("two");
        var vaults = new KeyVaultSecrets(_stored.Values);

        var secret = Assert.Single(vaults.Secrets(vaults.Vault("vault1")!));
        Assert.Equal("cert", secret.Name);
        Assert.Equal(["one", "two"], secret.Versions.Select(v => v.Value));
        Assert.All(secret.Versions, v => Assert.InRange(v.Created ?? 0, before, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Assert.Equal(secret.Versions[^1], secret.Latest);
        Assert.Null(vaults.Secret(vaults.Vault("vault1")!, "other"));
    }
}
