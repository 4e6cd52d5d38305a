using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Functions;

/// <summary>
/// parseCidr, cidrSubnet and cidrHost over IPv4 and IPv6 ranges. In IPv4 the network and broadcast addresses are not
/// usable; IPv6 has no broadcast, so its first usable address is the network address.
/// </summary>
internal static class CidrFunctions
{
    public static IEnumerable<ArmFunction> All { get; } =
    [
        ArmFunction.Fixed("parseCidr", 1, args => Parse(args, 0).Describe()),
        ArmFunction.Fixed("cidrSubnet", 3, CidrSubnet),
        ArmFunction.Fixed("cidrHost", 2, CidrHost),
    ];

    /// <summary>A range as the integer of its first address, its prefix length and its address width (32 or 128).</summary>
    private sealed record Range(UInt128 Network, int Prefix, int Bits)
    {
        private UInt128 Size => UInt128.One << (Bits - Prefix);

        private UInt128 Last => Network + Size - 1;

        public UInt128 FirstUsable => Bits == 32 && Prefix < 31 ? Network + 1 : Network;

        public UInt128 LastUsable => Bits == 32 && Prefix < 31 ? Last - 1 : Last;

        public JsonObject Describe()
        {
            var description = new JsonObject { ["network"] = Text(Network), ["netmask"] = Text(~(Size - 1) & Mask) };
            if (Bits == 32) description["broadcast"] = Text(Last);
            description["firstUsable"] = Text(FirstUsable);
            description["lastUsable"] = Text(LastUsable);
            description["cidr"] = Prefix;
            return description;
        }

        public UInt128 Subnet(int prefix, UInt128 index) => Network + (index << (Bits - prefix));

        private UInt128 Mask => Bits == 32 ? uint.MaxValue : UInt128.MaxValue;

        public string Text(UInt128 address)
        {
            var bytes = new byte[16];
            for (var i = 0; i < 16; i++) bytes[15 - i] = (byte)(address >> (8 * i));
            return new IPAddress(Bits == 32 ? bytes[12..] : bytes).ToString();
        }
    }

    private static Range Parse(FunctionArguments args, int index)
    {
        var text = args.String(index);
        var slash = text.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var address) || !int.TryParse(text[(slash + 1)..], out var prefix))
            throw args.Error($"'{text}' is not a CIDR range such as '10.0.0.0/16'.");
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefix < 0 || prefix > bits) throw args.Error($"the prefix length {prefix} of '{text}' must be from 0 to {bits}.");
        var bytes = address.GetAddressBytes();
        var value = bytes.Aggregate(UInt128.Zero, (total, b) => total << 8 | b);
        var hostBits = bits - prefix;
        var network = hostBits == 128 ? UInt128.Zero : value >> hostBits << hostBits;
        return new Range(network, prefix, bits);
    }

    private static JsonNode CidrSubnet(FunctionArguments args)
    {
        var range = Parse(args, 0);
        var (prefix, index) = (args.Integer(1), args.Integer(2));
        if (prefix < range.Prefix || prefix > range.Bits) throw args.Error($"the new prefix length {prefix} must be from {range.Prefix} to {range.Bits}.");
        var count = prefix - range.Prefix >= 63 ? long.MaxValue : 1L << (int)(prefix - range.Prefix);
        if (index < 0 || index >= count) throw args.Error($"the subnet index {index} must be from 0 to {count - 1}.");
        return $"{range.Text(range.Subnet((int)prefix, (ulong)index))}/{prefix}";
    }

    /// <summary>Host 0 is the address after the network address, in IPv6 as in IPv4.</summary>
    private static JsonNode CidrHost(FunctionArguments args)
    {
        var range = Parse(args, 0);
        var index = args.Integer(1);
        var address = range.Network + 1 + (ulong)Math.Max(index, 0);
        if (index < 0 || address > range.LastUsable)
            throw args.Error($"the host index {index} is outside the usable addresses of the range.");
        return range.Text(address);
    }
}
