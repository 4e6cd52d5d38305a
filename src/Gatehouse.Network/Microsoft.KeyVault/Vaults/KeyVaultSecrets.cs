using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.Json;
using Gatehouse.Network.RoleAssignments;
using Gatehouse.Network.UserAssignedIdentities;

namespace Gatehouse.Network.Vaults;

/// <summary>A secret id as gateways and parameter files write it: <c>https://{vault}.vault.azure.net/secrets/{name}[/{version}]</c>.</summary>
public sealed record SecretReference(string VaultName, string SecretName, string? Version)
{
    /// <summary>The reference, or null when <paramref name="secretId"/> is not a Key Vault secret id.</summary>
    public static SecretReference? Parse(string secretId)
    {
        if (!Uri.TryCreate(secretId, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || !uri.Host.EndsWith(KeyVaultSecrets.VaultHostSuffix, StringComparison.OrdinalIgnoreCase) || uri.Query.Length > 0)
            return null;
        var vault = uri.Host[..^KeyVaultSecrets.VaultHostSuffix.Length];
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (vault.Length == 0 || vault.Contains('.') || segments.Length is < 2 or > 3 || !segments[0].Equals("secrets", StringComparison.OrdinalIgnoreCase))
            return null;
        return new SecretReference(vault, segments[1], segments.Length == 3 ? segments[2] : null);
    }
}

/// <summary>A secret's value as read, with the version it was read at; or the error Azure reports when it cannot be.</summary>
public sealed record SecretRead(string? Value, string? Version, ArmError? Error);

/// <summary>
/// The local Key Vault as an identity reads it: vaults, their secrets (every version), user-assigned identities and role
/// assignments, checked as Azure checks them. A vault with <c>enableRbacAuthorization</c> grants what role assignments
/// on it (or on its resource group or subscription) give the identity's principal; any other vault grants what its
/// <c>accessPolicies</c> give the principal's objectId. Pure: it reads the resources it is given.
/// </summary>
public sealed class KeyVaultSecrets
{
    public const string VaultType = "Microsoft.KeyVault/vaults";
    public const string SecretType = SecretResourceType.TypeName;
    public const string VaultHostSuffix = ".vault.azure.net";
    internal const string VersionsProperty = "versions";

    /// <summary>Built-in roles that may read a secret's value: Key Vault Administrator, Secrets Officer, Secrets User, Certificate User.</summary>
    private static readonly HashSet<string> SecretReaderRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        "00482a5a-887f-4fb3-b363-3b7fe8e74483",
        "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        "4633458b-17de-408a-b874-0445c86b69e6",
        "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba",
    };

    internal static IReadOnlyList<string> Types { get; } =
        [VaultType, SecretResourceType.TypeName, UserAssignedIdentityResourceType.TypeName, RoleAssignmentResourceType.TypeName];

    private readonly Dictionary<string, ProvisionedResource> _byId;
    private readonly List<ProvisionedResource> _vaults;
    private readonly List<ProvisionedResource> _roleAssignments;

    public KeyVaultSecrets(IEnumerable<ProvisionedResource> resources)
    {
        var held = resources.Where(r => Holds(r.Type)).ToList();
        _byId = held.ToDictionary(r => r.Id, ResourceIds.Comparer);
        _vaults = [.. held.Where(r => Is(r, VaultType))];
        _roleAssignments = [.. held.Where(r => Is(r, RoleAssignmentResourceType.TypeName))];
    }

    public static KeyVaultSecrets None { get; } = new([]);

    /// <summary>Whether resources of this type are read here: what gateways need beside them to read their certificates.</summary>
    public static bool Holds(string type) => Types.Contains(type, StringComparer.OrdinalIgnoreCase);

    /// <summary>The vault's uri, as Azure computes <c>vaultUri</c>.</summary>
    public static string VaultUri(string vaultName) => $"https://{vaultName.ToLowerInvariant()}{VaultHostSuffix}/";

    /// <summary>A secret's vault and own name, from its resource name <c>vault/secret</c>.</summary>
    internal static (string Vault, string Secret) Names(string resourceName) =>
        resourceName.Split('/') is [var vault, var secret] ? (vault, secret) : ("", resourceName);

    /// <summary>
    /// The secret <paramref name="secretId"/> (its latest version when it names none), read for <paramref name="owner"/>
    /// (what the error names) by the principal of the user-assigned identity <paramref name="identityId"/>.
    /// </summary>
    public SecretRead Read(string owner, string secretId, string identityId)
    {
        if (!_byId.TryGetValue(identityId, out var identity) || !Is(identity, UserAssignedIdentityResourceType.TypeName))
            return Failed(ArmErrors.KeyVaultIdentityNotFound(owner, identityId));
        return Read(owner, secretId, identity.Body.Properties().String("principalId") ?? "", identityId);
    }

    /// <summary>The secret read on behalf of <paramref name="principalId"/> (<paramref name="principalName"/> in errors).</summary>
    public SecretRead Read(string owner, string secretId, string principalId, string principalName)
    {
        if (SecretReference.Parse(secretId) is not { } reference)
            return Failed(ArmErrors.KeyVaultSecretNotFound(owner, secretId));
        if (_vaults.FirstOrDefault(v => v.Name.Equals(reference.VaultName, StringComparison.OrdinalIgnoreCase)) is not { } vault)
            return Failed(ArmErrors.KeyVaultNotFound(owner, secretId));
        if (!MayGet(vault, principalId))
            return Failed(ArmErrors.KeyVaultNoGetPermission(owner, secretId, principalName));
        if (Version(vault, reference.SecretName, reference.Version) is not { } version)
            return Failed(ArmErrors.KeyVaultSecretNotFound(owner, secretId));
        if (!version.Enabled)
            return Failed(ArmErrors.KeyVaultSecretDisabled(owner, secretId));
        return new SecretRead(version.Value, version.Version, null);
    }

    /// <summary>
    /// A parameter's Key Vault reference, as ARM reads it for a template deployment: the vault <paramref name="vaultId"/>
    /// must exist and allow it (<c>enabledForTemplateDeployment</c>), and the secret (at <paramref name="version"/>, or its
    /// latest) be there and enabled. Throws <see cref="ArmException"/> with ARM's error otherwise.
    /// </summary>
    public string ReadForTemplateDeployment(string parameter, string vaultId, string secretName, string? version)
    {
        if (!_byId.TryGetValue(vaultId, out var vault) || !Is(vault, VaultType))
            throw new ArmException(ArmErrors.KeyVaultParameterVaultNotFound(parameter, vaultId));
        if (vault.Body.Properties().Bool("enabledForTemplateDeployment") != true)
            throw new ArmException(ArmErrors.KeyVaultParameterVaultNotEnabled(parameter, vaultId));
        if (Version(vault, secretName, version) is not { Enabled: true } read)
            throw new ArmException(ArmErrors.KeyVaultParameterSecretNotFound(parameter, vaultId, secretName));
        return read.Value;
    }

    private sealed record StoredVersion(string Version, string Value, bool Enabled);

    /// <summary>The secret's version <paramref name="version"/>, or its latest when null; null when there is no such secret or version.</summary>
    private StoredVersion? Version(ProvisionedResource vault, string secretName, string? version)
    {
        if (!_byId.TryGetValue($"{vault.Id}/secrets/{secretName}", out var secret)) return null;
        var properties = secret.Body.Properties();
        var versions = properties.Objects(VersionsProperty).ToList();
        var found = version is null
            ? versions.LastOrDefault()
            : versions.FirstOrDefault(v => version.Equals(v.String("version"), StringComparison.OrdinalIgnoreCase));
        return found is null ? null
            : new StoredVersion(found.String("version") ?? "", found.String("value") ?? "", properties.Object("attributes").Bool("enabled") != false);
    }

    /// <summary>Whether the principal may get secrets of the vault, by RBAC or by access policy as the vault is set up.</summary>
    private bool MayGet(ProvisionedResource vault, string principalId)
    {
        if (principalId.Length == 0) return false;
        var properties = vault.Body.Properties();
        if (properties.Bool("enableRbacAuthorization") == true)
            return _roleAssignments.Any(a =>
            {
                var assignment = a.Body.Properties();
                var scope = RoleAssignmentResourceType.Scope(a.Id);
                return principalId.Equals(assignment.String("principalId"), StringComparison.OrdinalIgnoreCase)
                    && SecretReaderRoles.Contains(ResourceIds.LastSegment(assignment.String("roleDefinitionId") ?? ""))
                    && (ResourceIds.Comparer.Equals(scope, vault.Id) || vault.Id.StartsWith(scope.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase));
            });
        return properties.Objects("accessPolicies").Any(policy =>
            principalId.Equals(policy.String("objectId"), StringComparison.OrdinalIgnoreCase)
            && policy.Object("permissions").Strings("secrets").Any(p => p.Equals("get", StringComparison.OrdinalIgnoreCase) || p.Equals("all", StringComparison.OrdinalIgnoreCase)));
    }

    private static bool Is(ProvisionedResource resource, string type) => resource.Type.Equals(type, StringComparison.OrdinalIgnoreCase);

    private static SecretRead Failed(ArmError error) => new(null, null, error);
}
