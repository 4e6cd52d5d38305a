namespace Gatehouse.Errors;

/// <summary>
/// Key Vault's data plane (<c>https://{vault}.vault.azure.net/secrets/...</c>), with the codes and messages Key Vault
/// answers with: <c>Unauthorized</c> (401), <c>Forbidden</c> (403), <c>SecretNotFound</c> (404), <c>BadParameter</c> (400).
/// Messages name the caller, vault and secret, never a value.
/// </summary>
public static partial class ArmErrors
{
    public static ArmError KeyVaultTokenMissing() => new("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");

    public static ArmError KeyVaultTokenInvalid(string audience) => new("Unauthorized",
        $"AKV10022: Invalid audience or expired token: the token must be one issued for {audience}, unexpired.");

    public static ArmError KeyVaultApiVersionInvalid(string? apiVersion) => new("BadParameter",
        string.IsNullOrEmpty(apiVersion)
            ? "The api-version query parameter (?api-version=) is required; Key Vault's secret API answers api-version 7.0 to 7.6 and 2016-10-01."
            : $"The specified version ({apiVersion}) is not recognized. Consider using the latest supported version (7.6).");

    /// <summary>A host under the Key Vault suffix that names no deployed vault; Azure's DNS would not resolve it.</summary>
    public static ArmError KeyVaultVaultNotFound(string vault) => new("VaultNotFound",
        $"The vault '{vault}' does not exist: no Microsoft.KeyVault/vaults named '{vault}' is deployed.");

    /// <summary>A vault that grants by access policy, without the permission for the caller's object id.</summary>
    public static ArmError KeyVaultAccessPolicyForbidden(string caller, string permission, string vault, string location) => new("Forbidden",
        $"The user, group or application '{caller}' does not have secrets {permission} permission on key vault '{vault};location={location}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287");

    /// <summary>A vault with RBAC authorization, with no role assignment that allows the caller the action.</summary>
    public static ArmError KeyVaultRbacForbidden(string caller, string action, string resource, string vault, string location) => new("Forbidden",
        "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n"
        + $"Caller: {caller}\r\nAction: '{action}'\r\nResource: '{resource}'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: {vault};location={location}\r\n");

    public static ArmError KeyVaultSecretDisabledOnGet() => new("Forbidden", "Operation get is not allowed on a disabled secret.");

    public static ArmError KeyVaultSecretMissing(string nameOrId) => new("SecretNotFound",
        $"A secret with (name/id) {nameOrId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");

    public static ArmError KeyVaultSecretNameInvalid(string name) => new("BadParameter",
        $"The request URI contains an invalid name: {name}. A secret's name is 1 to 127 letters, digits and dashes.");

    public static ArmError KeyVaultSecretValueMissing() => new("BadParameter", "Property 'value' is required: the body of a set is {\"value\": \"...\"}, with optional contentType, tags and attributes.");
}
