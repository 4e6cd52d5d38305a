using System.Net;
using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.ApplicationGateways;
using Gatehouse.Network.Json;
using Gatehouse.Network.NetworkInterfaces;
using Gatehouse.Network.VirtualMachineScaleSets;

namespace Gatehouse.Network.VirtualNetworks;

/// <summary>A private address in a subnet and what holds it (an IP configuration, a scale set's instance, a gateway frontend).</summary>
internal sealed record HeldAddress(string SubnetId, string Address, string Holder);

/// <summary>
/// The private addresses of one subnet as Azure hands them out: the first four and the last address of its prefix are
/// reserved; a static address must lie in the prefix and be free; a dynamic one keeps what it had while that is still
/// free, else takes the lowest free one, so that it is stable across redeploys and restarts.
/// </summary>
internal sealed class SubnetAddresses
{
    /// <summary>Every type whose resources hold private addresses, and how to read them from a stored body.</summary>
    private static readonly (string Type, Func<JsonObject, IEnumerable<HeldAddress>> Held)[] Holders =
    [
        (NetworkInterfaceResourceType.TypeName, NetworkInterfaceResourceType.Held),
        (VirtualMachineScaleSetResourceType.TypeName, VirtualMachineScaleSetResourceType.Held),
        (ApplicationGatewayResourceType.TypeName, PrivateFrontends),
    ];

    private readonly string _subnetId;
    private readonly IPNetwork _prefix;
    private readonly Dictionary<UInt128, string> _taken;

    private SubnetAddresses(string subnetId, IPNetwork prefix, Dictionary<UInt128, string> taken) =>
        (_subnetId, _prefix, _taken) = (subnetId, prefix, taken);

    /// <summary>
    /// The subnet <paramref name="subnetId"/> (a child of a stored virtual network, or a subnet deployed as its own
    /// resource) with what every resource but <paramref name="ownerId"/> holds in it; null while the subnet is not
    /// deployed, as in the preflight of a template whose network a linked deployment makes, which Azure's preflight passes.
    /// </summary>
    public static SubnetAddresses? Of(string subnetId, string path, string ownerId, ProvisionContext context)
    {
        var subnet = context.Lookup(subnetId)?.Body.Properties()
            ?? context.Lookup(ResourceIds.Parent(subnetId))?.Body.Properties().Objects("subnets")
                .FirstOrDefault(s => string.Equals(s.String("name"), ResourceIds.LastSegment(subnetId), StringComparison.OrdinalIgnoreCase))?.Properties();
        if (subnet is null) return null;
        var text = subnet.String("addressPrefix") ?? subnet.Strings("addressPrefixes").FirstOrDefault();
        if (!IPNetwork.TryParse(text, out var prefix)) throw new ArmException(ArmErrors.SubnetPrefixInvalid(path, subnetId, text));
        var taken = new Dictionary<UInt128, string>();
        foreach (var (type, held) in Holders)
            foreach (var resource in context.OfType(type).Where(r => !ResourceIds.Comparer.Equals(r.Id, ownerId)))
                foreach (var address in held(resource.Body).Where(a => ResourceIds.Comparer.Equals(a.SubnetId, subnetId)))
                    if (IPAddress.TryParse(address.Address, out var ip)) taken.TryAdd(Number(ip), address.Holder);
        return new SubnetAddresses(subnetId, prefix, taken);
    }

    /// <summary>A static address, checked to lie in the subnet outside its reserved range, and free.</summary>
    public string Static(string? address, string path, string holder)
    {
        if (address is null) throw new ArmException(ArmErrors.PrivateIPAddressRequired(path, holder));
        if (!IPAddress.TryParse(address, out var ip) || !_prefix.Contains(ip))
            throw new ArmException(ArmErrors.PrivateIPAddressNotInSubnet(path, address, _subnetId, _prefix.ToString()));
        var number = Number(ip);
        if (number < First || number > Last) throw new ArmException(ArmErrors.PrivateIPAddressInReservedRange(path, address, _prefix.ToString()));
        if (!_taken.TryAdd(number, holder)) throw new ArmException(ArmErrors.PrivateIPAddressInUse(path, address, _taken[number]));
        return ip.ToString();
    }

    /// <summary><paramref name="kept"/> (the address the holder had) while it is in the subnet and free, else the lowest free address.</summary>
    public string Dynamic(string? kept, string path, string holder)
    {
        if (IPAddress.TryParse(kept, out var previous) && _prefix.Contains(previous) && Number(previous) is var number
            && number >= First && number <= Last && _taken.TryAdd(number, holder))
            return previous.ToString();
        for (var candidate = First; candidate <= Last; candidate++)
            if (_taken.TryAdd(candidate, holder)) return Address(candidate);
        throw new ArmException(ArmErrors.SubnetIsFull(path, _subnetId, _prefix.ToString()));
    }

    private UInt128 Base => Number(_prefix.BaseAddress);

    private UInt128 First => Base + 4;

    private UInt128 Last => Base + (UInt128.One << (Bits - _prefix.PrefixLength)) - 2;

    private int Bits => _prefix.BaseAddress.GetAddressBytes().Length * 8;

    private static UInt128 Number(IPAddress address)
    {
        UInt128 number = 0;
        foreach (var b in address.GetAddressBytes()) number = (number << 8) | b;
        return number;
    }

    private string Address(UInt128 number)
    {
        var bytes = new byte[Bits / 8];
        for (var i = bytes.Length - 1; i >= 0; i--, number >>= 8) bytes[i] = (byte)(number & 0xff);
        return new IPAddress(bytes).ToString();
    }

    /// <summary>A gateway's private frontends hold their static addresses.</summary>
    private static IEnumerable<HeldAddress> PrivateFrontends(JsonObject gateway) =>
        gateway.Properties().Objects("frontendIPConfigurations")
            .Where(f => f.Properties().Reference("subnet") is not null && f.Properties().String("privateIPAddress") is not null)
            .Select(f => new HeldAddress(f.Properties().Reference("subnet")!, f.Properties().String("privateIPAddress")!, f.String("id") ?? ""));
}
