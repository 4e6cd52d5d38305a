using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Gatehouse.Arm.Functions;

/// <summary>
/// ARM's uniqueString(): the 64-bit Murmur variant Azure uses (two 32-bit lanes, its own constants) over the UTF-8
/// input, written as the first 13 base32 digits of the hash, most significant first. Checked against values returned
/// by real deployments (see the tests).
/// </summary>
internal static class UniqueString
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string Compute(string input)
    {
        var hash = MurmurHash64(Encoding.UTF8.GetBytes(input));
        var text = new StringBuilder(13);
        for (var i = 0; i < 13; i++, hash <<= 5) text.Append(Alphabet[(int)(hash >> 59)]);
        return text.ToString();
    }

    private const uint C1 = 0x239b961b, C2 = 0xab0e9789;

    private static ulong MurmurHash64(ReadOnlySpan<byte> data)
    {
        uint h1 = 0, h2 = 0;
        var index = 0;
        for (; index + 8 <= data.Length; index += 8)
        {
            h1 ^= MixFirst(BinaryPrimitives.ReadUInt32LittleEndian(data[index..]));
            h1 = BitOperations.RotateLeft(h1, 19) + h2;
            h1 = h1 * 5 + 0x561ccd1b;
            h2 ^= MixSecond(BinaryPrimitives.ReadUInt32LittleEndian(data[(index + 4)..]));
            h2 = BitOperations.RotateLeft(h2, 13) + h1;
            h2 = h2 * 5 + 0x0bcaa747;
        }
        var tail = data[index..];
        if (tail.Length > 0) h1 ^= MixFirst(ReadPartial(tail[..Math.Min(4, tail.Length)]));
        if (tail.Length > 4) h2 ^= MixSecond(ReadPartial(tail[4..]));

        h1 ^= (uint)data.Length;
        h2 ^= (uint)data.Length;
        h1 += h2;
        h2 += h1;
        h1 = FinalMix(h1);
        h2 = FinalMix(h2);
        h1 += h2;
        h2 += h1;
        return (ulong)h2 << 32 | h1;
    }

    private static uint MixFirst(uint k) => BitOperations.RotateLeft(k * C1, 15) * C2;

    private static uint MixSecond(uint k) => BitOperations.RotateLeft(k * C2, 17) * C1;

    private static uint ReadPartial(ReadOnlySpan<byte> bytes)
    {
        uint value = 0;
        for (var i = bytes.Length - 1; i >= 0; i--) value = value << 8 | bytes[i];
        return value;
    }

    private static uint FinalMix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        return h ^ h >> 16;
    }
}
