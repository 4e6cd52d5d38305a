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
            || KeyVaultSecrets.VaultNameOfHost(uri.Host) is not { } vault || uri.Query.Length > 0)
            return null;
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length is < 2 or > 3 || !segments[0].Equals("secrets", StringComparison.OrdinalIgnoreCase))
            return null;
        return new SecretReference(vault, segments[1], segments.Length == 3 ? segments[2] : null);
    }
}

/// <summary>A secret's value as read, with the version it was read at; or the error Azure reports when it cannot be.</summary>
public sealed record SecretRead(string? Value, string? Version, ArmError? Error);

/// <summary>What a caller does with a vault's secrets, as Key Vault's access policies name it (RBAC: a role's data actions).</summary>
public enum SecretPermission { Get, List, Set }

/// <summary>One version of a secret; <paramref name="Created"/> in Unix seconds (null for versions stored before it was kept).</summary>
public sealed record SecretVersion(string Version, string Value, long? Created);

/// <summary>A vault's secret with every version, oldest first; its attributes, content type and tags are the latest version's.</summary>
public sealed record VaultSecret(string Name, bool Enabled, string? ContentType, JsonObject? Tags, IReadOnlyList<SecretVersion> Versions)
{
    public SecretVersion? Latest => Versions.Count > 0 ? Versions[^1] : null;

    public SecretVersion? Version(string version) => Versions.FirstOrDefault(v => v.Version.Equals(version, StringComparison.OrdinalIgnoreCase));
}

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

    /// <summary>
    /// What the built-in roles allow on secrets, by their data actions: Key Vault Administrator and Secrets Officer
    /// everything; Secrets User, Certificate User and Certificates Officer getSecret and readMetadata; Reader readMetadata.
    /// </summary>
    private static readonly Dictionary<string, SecretPermission[]> SecretRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["00482a5a-887f-4fb3-b363-3b7fe8e74483"] = [SecretPermission.Get, SecretPermission.List, SecretPermission.Set],
        ["b86a8fe4-44ce-4948-aee5-eccb2c155cd7"] = [SecretPermission.Get, SecretPermission.List, SecretPermission.Set],
        ["4633458b-17de-408a-b874-0445c86b69e6"] = [SecretPermission.Get, SecretPermission.List],
        ["db79e9a7-68ee-4b58-9aeb-b90e7c24fcba"] = [SecretPermission.Get, SecretPermission.List],
        ["a4417e6f-fecd-4de8-b567-7b0420556985"] = [SecretPermission.Get, SecretPermission.List],
        ["21090545-7ca7-4776-b22c-e363652d74d2"] = [SecretPermission.List],
    };

    /// <summary>The resource types a <see cref="KeyVaultSecrets"/> reads.</summary>
    public static IReadOnlyList<string> Types { get; } =
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
    public static string VaultUri(string vaultName) => $"https://{VaultHostName(vaultName)}/";

    public static string VaultHostName(string vaultName) => vaultName.ToLowerInvariant() + VaultHostSuffix;

    /// <summary>The vault a data-plane host name names (<c>{vault}.vault.azure.net</c>), or null.</summary>
    public static string? VaultNameOfHost(string host) =>
        host.EndsWith(VaultHostSuffix, StringComparison.OrdinalIgnoreCase) && host[..^VaultHostSuffix.Length] is { Length: > 0 } name && !name.Contains('.')
            ? name : null;

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
        if (Vault(reference.VaultName) is not { } vault)
            return Failed(ArmErrors.KeyVaultNotFound(owner, secretId));
        if (!Allows(vault, principalId, SecretPermission.Get))
            return Failed(ArmErrors.KeyVaultNoGetPermission(owner, secretId, principalName));
        if (Secret(vault, reference.SecretName) is not { } secret || Version(secret, reference.Version) is not { } version)
            return Failed(ArmErrors.KeyVaultSecretNotFound(owner, secretId));
        if (!secret.Enabled)
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
        if (Secret(vault, secretName) is not { Enabled: true } secret || Version(secret, version) is not { } read)
            throw new ArmException(ArmErrors.KeyVaultParameterSecretNotFound(parameter, vaultId, secretName));
        return read.Value;
    }

    /// <summary>The vault of that name, in any resource group: a vault's name is its host name, unique like Azure's.</summary>
    public ProvisionedResource? Vault(string name) => _vaults.FirstOrDefault(v => v.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The vault's secrets, in the order first stored.</summary>
    public IEnumerable<VaultSecret> Secrets(ProvisionedResource vault) => _byId.Values
        .Where(r => Is(r, SecretType) && r.Id.StartsWith($"{vault.Id}/secrets/", StringComparison.OrdinalIgnoreCase))
        .Select(ToSecret);

    /// <summary>The vault's secret of that name, or null.</summary>
    public VaultSecret? Secret(ProvisionedResource vault, string name) =>
        _byId.TryGetValue($"{vault.Id}/secrets/{name}", out var secret) && Is(secret, SecretType) ? ToSecret(secret) : null;

    private static VaultSecret ToSecret(ProvisionedResource secret)
    {
        var properties = secret.Body.Properties();
        var versions = properties.Objects(VersionsProperty)
            .Select(v => new SecretVersion(v.String("version") ?? "", v.String("value") ?? "", v["created"]?.GetValue<long>()))
            .ToList();
        return new VaultSecret(Names(secret.Name).Secret, properties.Object("attributes").Bool("enabled") != false, properties.String("contentType"),
            secret.Body.Object("tags"), versions);
    }

    /// <summary>The secret's version <paramref name="version"/>, or its latest when null.</summary>
    private static SecretVersion? Version(VaultSecret secret, string? version) => version is null ? secret.Latest : secret.Version(version);

    /// <summary>Whether the principal may do that with the vault's secrets, by RBAC or by access policy as the vault is set up.</summary>
    public bool Allows(ProvisionedResource vault, string principalId, SecretPermission permission)
    {
        if (principalId.Length == 0) return false;
        var properties = vault.Body.Properties();
        if (UsesRbac(vault))
            return _roleAssignments.Any(a =>
            {
                var assignment = a.Body.Properties();
                var scope = RoleAssignmentResourceType.Scope(a.Id);
                return principalId.Equals(assignment.String("principalId"), StringComparison.OrdinalIgnoreCase)
                    && SecretRoles.TryGetValue(ResourceIds.LastSegment(assignment.String("roleDefinitionId") ?? ""), out var allowed)
                    && allowed.Contains(permission)
                    && (ResourceIds.Comparer.Equals(scope, vault.Id) || vault.Id.StartsWith(scope.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase));
            });
        var name = permission.ToString();
        return properties.Objects("accessPolicies").Any(policy =>
            principalId.Equals(policy.String("objectId"), StringComparison.OrdinalIgnoreCase)
            && policy.Object("permissions").Strings("secrets").Any(p => p.Equals(name, StringComparison.OrdinalIgnoreCase) || p.Equals("all", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// The recovery level of the vault's secrets, as Key Vault reports it, and for how many days a deleted one is kept:
    /// soft delete is on unless the vault disables it, and purge protection makes it Recoverable.
    /// </summary>
    public static (string Level, int? Days) Recovery(ProvisionedResource vault)
    {
        var properties = vault.Body.Properties();
        if (properties.Bool("enableSoftDelete") == false) return ("Purgeable", null);
        return (properties.Bool("enablePurgeProtection") == true ? "Recoverable" : "Recoverable+Purgeable", properties.Int("softDeleteRetentionInDays") ?? 90);
    }

    /// <summary>Whether the vault grants by role assignments (<c>enableRbacAuthorization</c>) rather than by access policies.</summary>
    public static bool UsesRbac(ProvisionedResource vault) => vault.Body.Properties().Bool("enableRbacAuthorization") == true;

    private static bool Is(ProvisionedResource resource, string type) => resource.Type.Equals(type, StringComparison.OrdinalIgnoreCase);

    private static SecretRead Failed(ArmError error) => new(null, null, error);
}
