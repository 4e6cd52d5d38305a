namespace Gatehouse.Network.Vaults;

/// <summary><c>Microsoft.KeyVault/vaults</c>: the vault answers at <c>https://{name}.vault.azure.net/</c>, its vaultUri.</summary>
internal static class VaultResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.KeyVault/vaults")
    {
        Compute = DeclaredResourceType.NamedHost("vaultUri", "https://{0}.vault.azure.net/"),
    };
}
