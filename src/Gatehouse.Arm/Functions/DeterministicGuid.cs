using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Arm.Functions;

/// <summary>
/// ARM's guid(): a name-based version 5 UUID (RFC 4122 §4.3, SHA-1) of the UTF-8 input under Azure's fixed
/// namespace 11fb06fb-712d-4ddd-98c7-e71bbd588830.
/// </summary>
internal static class DeterministicGuid
{
    private static readonly Guid Namespace = new("11fb06fb-712d-4ddd-98c7-e71bbd588830");

    public static Guid Compute(string name)
    {
        var input = Namespace.ToByteArray(bigEndian: true).Concat(Encoding.UTF8.GetBytes(name)).ToArray();
        var hash = SHA1.HashData(input)[..16];
        hash[6] = (byte)(hash[6] & 0x0F | 0x50);
        hash[8] = (byte)(hash[8] & 0x3F | 0x80);
        return new Guid(hash, bigEndian: true);
    }
}
