using System.Security.Cryptography;
using System.Text.Json;
using Gatehouse.Control.Security;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Control.Entra;

/// <summary>
/// The local issuer's RSA signing keys, newest first, in <c>entra-signing-keys.json</c> (mode 600) in the data
/// directory, so that tokens stay valid across a restart. A rotation signs with a new key and keeps publishing the one
/// before it, as Entra ID publishes the next and the previous key during a rollover; the key before that is gone.
/// </summary>
internal sealed class EntraSigningKeys
{
    public const string FileName = "entra-signing-keys.json";

    /// <summary>How many keys the JWKS publishes: the signing key and the one it replaced.</summary>
    private const int Published = 2;

    private sealed record StoredKey(string Kid, string Pkcs8);

    private readonly string _path;
    private readonly Lock _lock = new();
    private IReadOnlyList<RsaSecurityKey> _keys;

    private EntraSigningKeys(string path, IReadOnlyList<RsaSecurityKey> keys)
    {
        _path = path;
        _keys = keys;
    }

    public static EntraSigningKeys Open(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var stored = JsonSerializer.Deserialize<StoredKey[]>(PrivateFile.ReadOrCreate(path, () => JsonSerializer.SerializeToUtf8Bytes(new[] { NewKey() })))
            ?? throw new InvalidDataException($"{FileName} in {dataDirectory} is empty.");
        return new EntraSigningKeys(path, [.. stored.Select(Load)]);
    }

    /// <summary>The key new tokens are signed with.</summary>
    public RsaSecurityKey Current => _keys[0];

    /// <summary>What the JWKS publishes.</summary>
    public IReadOnlyList<RsaSecurityKey> All => _keys;

    /// <summary>Signs with a new key from now on; the oldest published key is retired. Returns the new key's id.</summary>
    public string Rotate()
    {
        lock (_lock)
        {
            var stored = new[] { NewKey() }.Concat(_keys.Select(Store)).Take(Published).ToArray();
            PrivateFile.Write(_path, JsonSerializer.SerializeToUtf8Bytes(stored));
            _keys = [.. stored.Select(Load)];
            return stored[0].Kid;
        }
    }

    private static StoredKey NewKey()
    {
        using var rsa = RSA.Create(2048);
        return new StoredKey(Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)), Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()));
    }

    private static RsaSecurityKey Load(StoredKey stored)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(stored.Pkcs8), out _);
        return new RsaSecurityKey(rsa) { KeyId = stored.Kid };
    }

    private static StoredKey Store(RsaSecurityKey key) => new(key.KeyId, Convert.ToBase64String(key.Rsa.ExportPkcs8PrivateKey()));
}
