using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Control.Security;

/// <summary>
/// AES-256-GCM for what the store keeps that may hold secrets (resource bodies, deployment parameters and outputs).
/// Sealed data is nonce | tag | ciphertext; the row's key is the associated data, so a body cannot be moved to another row.
/// </summary>
internal sealed class StoreEncryption(byte[] key, DateTimeOffset created)
{
    public const string KeyFileName = "data-encryption.key";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static StoreEncryption Open(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, KeyFileName);
        var key = PrivateFile.ReadOrCreate(path, () => RandomNumberGenerator.GetBytes(32));
        // The key file is written once, so its time is the key's creation.
        return new StoreEncryption(key, File.GetLastWriteTimeUtc(path));
    }

    /// <summary>When the store's key was made: what derives from it exists since then.</summary>
    public DateTimeOffset Created { get; } = created;

    /// <summary>
    /// A key of its own for <paramref name="purpose"/> (HKDF-SHA256 from the store's key): as safe at rest as the store,
    /// and lost with it, without opening the store's own key to another use.
    /// </summary>
    public byte[] Derive(string purpose) => HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: Encoding.UTF8.GetBytes(purpose));

    public byte[] Seal(string plaintext, string rowKey)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedData = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedData.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedData.AsSpan(NonceSize + TagSize), sealedData.AsSpan(NonceSize, TagSize), AssociatedData(rowKey));
        return sealedData;
    }

    public string Open(byte[] sealedData, string rowKey)
    {
        var plain = new byte[sealedData.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedData.AsSpan(0, NonceSize), sealedData.AsSpan(NonceSize + TagSize), sealedData.AsSpan(NonceSize, TagSize), plain, AssociatedData(rowKey));
        return Encoding.UTF8.GetString(plain);
    }

    // Ids compare case-insensitively, so the associated data must not depend on the casing a caller used.
    private static byte[] AssociatedData(string rowKey) => Encoding.UTF8.GetBytes(rowKey.ToUpperInvariant());
}
