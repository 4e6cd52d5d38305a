using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Gatehouse.Control.Security;

namespace Gatehouse.Control;

/// <summary>The service principal that may call the management API, and the one tenant and subscription it sees.</summary>
public sealed record Credentials(string ClientId, string ClientSecret, string TenantId, string SubscriptionId)
{
    public const string FileName = "credentials.json";

    /// <summary>Reads <c>credentials.json</c> (mode 600) in the data directory, creating random ones on first use.</summary>
    public static Credentials Load(string dataDirectory)
    {
        PrivateFile.CreateDirectory(dataDirectory);
        var bytes = PrivateFile.ReadOrCreate(Path.Combine(dataDirectory, FileName), () => JsonSerializer.SerializeToUtf8Bytes(Create()));
        return JsonSerializer.Deserialize<Credentials>(bytes) ?? throw new InvalidDataException($"{FileName} in {dataDirectory} is empty.");
    }

    /// <summary>
    /// The credentials of every instance that shares a store, derived from the data key they share: a token that one
    /// instance issued is good at any other, and they all see one tenant and subscription. Written to the data
    /// directory too, where the command line looks for them.
    /// </summary>
    internal static Credentials Shared(string dataDirectory, StoreEncryption encryption)
    {
        Guid Id(string purpose) => new(encryption.Derive(purpose).AsSpan(0, 16));
        var credentials = new Credentials(
            ClientId: Id("gatehouse client id").ToString(),
            ClientSecret: Secret(encryption.Derive("gatehouse client secret")),
            TenantId: Id("gatehouse tenant id").ToString(),
            SubscriptionId: Id("gatehouse subscription id").ToString());
        PrivateFile.CreateDirectory(dataDirectory);
        PrivateFile.Write(Path.Combine(dataDirectory, FileName), JsonSerializer.SerializeToUtf8Bytes(credentials));
        return credentials;
    }

    private static Credentials Create() => new(
        ClientId: Guid.NewGuid().ToString(),
        ClientSecret: Secret(RandomNumberGenerator.GetBytes(32)),
        TenantId: Guid.NewGuid().ToString(),
        SubscriptionId: Guid.NewGuid().ToString());

    /// <summary>
    /// Base64url without '-': <c>az login -p -x...</c> takes a secret that begins with '-' for an option, and users paste
    /// these secrets into such command lines. 43 characters of 63 symbols still carry more than 256 bits.
    /// </summary>
    private static string Secret(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes).Replace('-', '_');

    // A record prints its members; the secret must never reach a log line that way.
    public override string ToString() => $"Credentials {{ ClientId = {ClientId}, TenantId = {TenantId}, SubscriptionId = {SubscriptionId} }}";
}
