using System.Text.Json.Nodes;
using Gatehouse.Network;
using Gatehouse.Network.Vaults;

namespace Gatehouse.Control.KeyVault;

/// <summary>Key Vault's shapes of a secret: the SecretBundle a get or set answers (with the value), the SecretItem a list holds (without).</summary>
internal static class SecretBundles
{
    public static JsonObject Bundle(ProvisionedResource vault, VaultSecret secret, SecretVersion version)
    {
        var bundle = Item(vault, secret, version);
        bundle["value"] = version.Value;
        return bundle;
    }

    /// <summary>The secret at <paramref name="version"/> (its id versioned), or, without one, as <c>secret list</c> shows it (its id versionless).</summary>
    public static JsonObject Item(ProvisionedResource vault, VaultSecret secret, SecretVersion? version)
    {
        var id = $"{KeyVaultSecrets.VaultUri(vault.Name)}secrets/{secret.Name}";
        var item = new JsonObject
        {
            ["id"] = version is null ? id : $"{id}/{version.Version}",
            ["attributes"] = Attributes(vault, secret, version ?? secret.Latest),
        };
        if (secret.ContentType is { } contentType) item["contentType"] = contentType;
        if (secret.Tags is { Count: > 0 } tags) item["tags"] = tags.DeepClone();
        return item;
    }

    /// <summary>A set's body (<c>value</c>, <c>contentType</c>, <c>tags</c>, <c>attributes</c>) as the PUT body of the ARM secret.</summary>
    public static JsonObject ArmBody(JsonObject set)
    {
        var properties = new JsonObject { ["value"] = set["value"]!.DeepClone() };
        if (set["contentType"] is { } contentType) properties["contentType"] = contentType.DeepClone();
        if (set["attributes"] is JsonObject attributes) properties["attributes"] = attributes.DeepClone();
        var body = new JsonObject { ["properties"] = properties };
        if (set["tags"] is JsonObject tags) body["tags"] = tags.DeepClone();
        return body;
    }

    /// <summary>Key Vault's attributes: created and updated (Unix seconds) are the version's creation; the recovery level is the vault's.</summary>
    private static JsonObject Attributes(ProvisionedResource vault, VaultSecret secret, SecretVersion? version)
    {
        var attributes = new JsonObject { ["enabled"] = secret.Enabled };
        if (version?.Created is { } created)
        {
            attributes["created"] = created;
            attributes["updated"] = created;
        }
        var (level, days) = KeyVaultSecrets.Recovery(vault);
        attributes["recoveryLevel"] = level;
        if (days is { } recoverableDays) attributes["recoverableDays"] = recoverableDays;
        return attributes;
    }
}
