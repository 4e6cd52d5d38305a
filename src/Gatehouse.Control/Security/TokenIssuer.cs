using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gatehouse.Control.Security;

/// <summary>
/// Bearer tokens for the management API: <c>payload.signature</c>, HMAC-SHA256 over the payload with the key file,
/// self-contained (client id + expiry) so that they stay valid across a restart of the server.
/// </summary>
internal sealed class TokenIssuer(byte[] signingKey, string clientId)
{
    public const string KeyFileName = "token-signing.key";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private sealed record Payload(string Cid, long Exp);

    public static TokenIssuer Open(string dataDirectory, string clientId) =>
        new(SecretFile.ReadOrCreate(Path.Combine(dataDirectory, KeyFileName), () => RandomNumberGenerator.GetBytes(32)), clientId);

    public string Issue()
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(clientId, DateTimeOffset.UtcNow.Add(Lifetime).ToUnixTimeSeconds()));
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(HMACSHA256.HashData(signingKey, payload))}";
    }

    public bool IsValid(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0) return false;
        try
        {
            var payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            var signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
            if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(signingKey, payload))) return false;
            var claims = JsonSerializer.Deserialize<Payload>(payload);
            return claims is not null
                && claims.Cid == clientId
                && DateTimeOffset.FromUnixTimeSeconds(claims.Exp) > DateTimeOffset.UtcNow;
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

    public static bool SecretMatches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
