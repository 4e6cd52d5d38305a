namespace Gatehouse.Errors;

/// <summary>
/// Key Vault as an application gateway reads it. A certificate the gateway cannot read disables the HTTPS listeners that
/// use it, with the codes Azure reports then (Azure's "Common key vault errors in Application Gateway"); their target is
/// the certificate's id. Messages name the secret id, never a value.
/// </summary>
public static partial class ArmErrors
{
    public static ArmError KeyVaultSecretIdInvalid(string path, string id, string secretId) => new("ApplicationGatewayKeyVaultSecretIdInvalid",
        $"The keyVaultSecretId '{secretId}' of {id} is not a Key Vault secret id: give https://{{vault}}.vault.azure.net/secrets/{{name}}, optionally followed by /{{version}}.", path);

    public static ArmError KeyVaultSecretWithoutIdentity(string path, string id) => new("ApplicationGatewayKeyVaultSecretRequiresUserAssignedIdentity",
        $"{id} references a Key Vault secret, which the gateway reads through its user-assigned identity: set identity.type UserAssigned with one identity in identity.userAssignedIdentities.", path);

    public static ArmError KeyVaultIdentityNotFound(string id, string identityId) => new("UserAssignedManagedIdentityNotFound",
        $"The user-assigned identity {identityId} that the gateway reads {id} with does not exist.", id);

    public static ArmError KeyVaultNotFound(string id, string secretId) => new("KeyVaultSoftDeleted",
        $"The key vault of '{secretId}', which {id} references, does not exist (it was deleted, or never created).", id);

    public static ArmError KeyVaultNoGetPermission(string id, string secretId, string identityId) => new("UserAssignedIdentityDoesNotHaveGetPermissionOnKeyVault",
        $"The user-assigned identity {identityId} has no permission to get '{secretId}', which {id} references: grant it secrets 'get' in the vault's access policies, or, for a vault with RBAC authorization, a role such as Key Vault Secrets User on the vault.", id);

    public static ArmError KeyVaultSecretNotFound(string id, string secretId) => new("SecretDeletedFromKeyVault",
        $"The secret '{secretId}', which {id} references, does not exist in its key vault.", id);

    public static ArmError KeyVaultSecretDisabled(string id, string secretId) => new("SecretDisabled",
        $"The secret '{secretId}', which {id} references, is disabled in its key vault.", id);

    // A parameter file's Key Vault reference, as ARM reads it for a deployment.

    public static ArmError KeyVaultParameterVaultNotFound(string parameter, string vaultId) => new("KeyVaultParameterReferenceNotFound",
        $"The specified KeyVault '{vaultId}' could not be found. Please see https://aka.ms/arm-keyvault for usage details.", $"parameters.{parameter}");

    public static ArmError KeyVaultParameterVaultNotEnabled(string parameter, string vaultId) => new("KeyVaultParameterReferenceSecretRetrieveFailed",
        $"The secret of KeyVault parameter '{parameter}' cannot be retrieved: the KeyVault '{vaultId}' is not enabled for template deployment (set its enabledForTemplateDeployment to true).",
        $"parameters.{parameter}");

    public static ArmError KeyVaultParameterSecretNotFound(string parameter, string vaultId, string secretName) => new("KeyVaultParameterReferenceSecretRetrieveFailed",
        $"The secret of KeyVault parameter '{parameter}' cannot be retrieved. Http status code: 'NotFound'. Error message: 'A secret with (name/id) {secretName} was not found in the KeyVault '{vaultId}'.'",
        $"parameters.{parameter}");
}
