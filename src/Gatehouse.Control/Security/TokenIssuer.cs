using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gatehouse.Control.Security;

/// <summary>
/// Bearer tokens for the management API: <c>payload.signature</c>, HMAC-SHA256 over the payload with the key file,
/// self-contained (client id, audience, expiry) so that they stay valid across a restart of the server. A token is
/// issued for one resource, the management endpoint or Key Vault, and each accepts only its own audience, as in Azure.
/// </summary>
internal sealed class TokenIssuer(byte[] signingKey, string clientId)
{
    public const string KeyFileName = "token-signing.key";

    /// <summary>The management endpoint's resource id (az's <c>--endpoint-active-directory-resource-id</c>).</summary>
    public const string Audience = "https://management.gatehouse.local/";

    /// <summary>Key Vault's resource, as Azure's: what the vault's 401 challenge names and its data plane accepts.</summary>
    public const string KeyVaultAudience = "https://vault.azure.net";

    private static readonly string[] Audiences = [Audience, KeyVaultAudience];

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private sealed record Payload(string Cid, string Aud, long Exp);

    public static TokenIssuer Open(string dataDirectory, string clientId) =>
        new(PrivateFile.ReadOrCreate(Path.Combine(dataDirectory, KeyFileName), () => RandomNumberGenerator.GetBytes(32)), clientId);

    /// <summary>A token for <paramref name="audience"/>, one of <see cref="Audiences"/> as <see cref="AudienceOf"/> names it.</summary>
    public string Issue(string audience)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(clientId, audience, DateTimeOffset.UtcNow.Add(Lifetime).ToUnixTimeSeconds()));
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(HMACSHA256.HashData(signingKey, payload))}";
    }

    /// <summary>Whether the token is ours, unexpired and issued for <paramref name="audience"/>.</summary>
    public bool IsValid(string token, string audience = Audience)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0) return false;
        try
        {
            var payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            var signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
            if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(signingKey, payload))) return false;
            var claims = JsonSerializer.Deserialize<Payload>(payload);
            // Compared as numbers, where a DateTimeOffset would be out of range for some longs; and no token is issued
            // to expire later than a lifetime from now.
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return claims is not null
                && claims.Cid == clientId
                && claims.Aud == audience
                && claims.Exp > now
                && claims.Exp <= now + (long)Lifetime.TotalSeconds;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The audience a token request asks for, or null when it names no resource of ours: az sends
    /// <c>scope=RESOURCE/.default</c> (with a double slash when the resource ends in one), ADFS clients <c>resource=RESOURCE</c>.
    /// </summary>
    public static string? AudienceOf(string resource) =>
        Audiences.FirstOrDefault(a => string.Equals(resource.TrimEnd('/'), a.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));

    public static string ResourceOfScope(string scope) =>
        scope.EndsWith(DefaultScopeSuffix, StringComparison.OrdinalIgnoreCase) ? scope[..^DefaultScopeSuffix.Length] : scope;

    private const string DefaultScopeSuffix = "/.default";

    public static bool SecretMatches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
