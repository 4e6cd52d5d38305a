using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

using Gatehouse.Arm;
namespace Gatehouse.Network;

/// <summary>
/// The list* functions of the types deployed beside gateways: the access keys of storage accounts and Redis caches, in Azure's shapes.
/// Azure makes keys at random; here each derives from the resource id and a secret the caller keeps (HKDF-Expand, that
/// is HMAC-SHA256 over the id and the key's name), so the key a template reads before the resource exists is the key
/// the resource reports later, on any redeploy. Pure: no I/O.
/// </summary>
public sealed class AccessKeys
{
    private const string StorageAccounts = "Microsoft.Storage/storageAccounts";
    private const string RedisCaches = "Microsoft.Cache/Redis";

    private readonly byte[] _secret;
    private readonly DateTimeOffset _created;

    /// <param name="secret">At least 32 bytes, kept by the caller and never shown.</param>
    /// <param name="created">The keys' creationTime: they exist as long as the secret does.</param>
    public AccessKeys(byte[] secret, DateTimeOffset created)
    {
        if (secret.Length < SHA256.HashSizeInBytes) throw new ArgumentException($"The secret must have at least {SHA256.HashSizeInBytes} bytes.", nameof(secret));
        (_secret, _created) = (secret.ToArray(), created);
    }

    /// <summary>What the call returns, or null when the resource type does not offer the function here.</summary>
    public JsonNode? List(ListCall call)
    {
        if (!call.Function.Equals("listKeys", StringComparison.OrdinalIgnoreCase)) return null;
        if (call.ResourceType.Equals(StorageAccounts, StringComparison.OrdinalIgnoreCase)) return StorageKeys(call.ResourceId);
        if (call.ResourceType.Equals(RedisCaches, StringComparison.OrdinalIgnoreCase)) return RedisKeys(call.ResourceId);
        return null;
    }

    /// <summary>Two full-access keys of 64 bytes, 88 base64 characters as Azure's.</summary>
    private JsonObject StorageKeys(string id) => new()
    {
        ["keys"] = new JsonArray(((string[])["key1", "key2"]).Select(name => (JsonNode)new JsonObject
        {
            ["keyName"] = name,
            ["value"] = Key(id, name, 64),
            ["permissions"] = "FULL",
            ["creationTime"] = _created.UtcDateTime.ToString("o"),
        }).ToArray()),
    };

    /// <summary>Two keys of 32 bytes, 44 base64 characters as Azure's.</summary>
    private JsonObject RedisKeys(string id) => new() { ["primaryKey"] = Key(id, "primaryKey", 32), ["secondaryKey"] = Key(id, "secondaryKey", 32) };

    // Ids compare case-insensitively, so the key must not depend on the casing a template used.
    private string Key(string id, string name, int length) =>
        Convert.ToBase64String(HKDF.Expand(HashAlgorithmName.SHA256, _secret, length, Encoding.UTF8.GetBytes($"{id.ToUpperInvariant()}#{name}")));
}
