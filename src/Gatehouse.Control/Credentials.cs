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

    private static Credentials Create() => new(
        ClientId: Guid.NewGuid().ToString(),
        ClientSecret: Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)),
        TenantId: Guid.NewGuid().ToString(),
        SubscriptionId: Guid.NewGuid().ToString());

    // A record prints its members; the secret must never reach a log line that way.
    public override string ToString() => $"Credentials {{ ClientId = {ClientId}, TenantId = {TenantId}, SubscriptionId = {SubscriptionId} }}";
}
