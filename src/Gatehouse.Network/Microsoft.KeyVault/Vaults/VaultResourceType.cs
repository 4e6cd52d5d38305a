namespace Gatehouse.Network.Vaults;

/// <summary>
/// <c>Microsoft.KeyVault/vaults</c>: the vault answers at <c>https://{name}.vault.azure.net/</c>, its vaultUri. Its
/// <c>accessPolicies</c> and <c>enableRbacAuthorization</c> are kept as written: <see cref="KeyVaultSecrets"/> checks them.
/// </summary>
internal static class VaultResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType(KeyVaultSecrets.VaultType)
    {
        Compute = DeclaredResourceType.NamedHost("vaultUri", "https://{0}" + KeyVaultSecrets.VaultHostSuffix + "/"),
    };
}
