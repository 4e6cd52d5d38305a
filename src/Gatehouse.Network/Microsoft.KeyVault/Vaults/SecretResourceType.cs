using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.Vaults;

/// <summary>
/// <c>Microsoft.KeyVault/vaults/secrets</c>: each PUT of a new value makes a new version (a PUT of the same value, or of a
/// GET body, which has none, keeps the current one, so redeploying a template rotates nothing). Every version's value is
/// kept, so a versioned secret id keeps resolving; values are write-only, and the store encrypts them with the body.
/// </summary>
internal static class SecretResourceType
{
    public const string TypeName = "Microsoft.KeyVault/vaults/secrets";

    public static readonly IResourceType Instance = new DeclaredResourceType(TypeName)
    {
        Compute = Compute,
        WriteOnly = ["properties.value", $"properties.{KeyVaultSecrets.VersionsProperty}"],
    };

    private static void Compute(JsonObject body, ProvisionContext context)
    {
        var properties = body.Properties();
        var versions = context.Previous.Properties()[KeyVaultSecrets.VersionsProperty]?.DeepClone() as JsonArray ?? [];
        var current = versions.LastOrDefault() as JsonObject;
        var value = properties.String("value") ?? current.String("value");
        if (value is not null && value != current.String("value"))
            versions.Add(new JsonObject { ["version"] = Guid.NewGuid().ToString("N"), ["value"] = value, ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() });
        if (value is null) properties.Remove("value");
        else properties["value"] = value;
        properties[KeyVaultSecrets.VersionsProperty] = versions;

        var (vault, secret) = KeyVaultSecrets.Names(body.String("name") ?? "");
        var secretUri = $"{KeyVaultSecrets.VaultUri(vault)}secrets/{secret}";
        properties["secretUri"] = secretUri;
        if (versions.LastOrDefault() is JsonObject latest) properties["secretUriWithVersion"] = $"{secretUri}/{latest.String("version")}";
    }
}
