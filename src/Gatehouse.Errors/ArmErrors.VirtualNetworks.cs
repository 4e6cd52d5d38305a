namespace Gatehouse.Errors;

/// <summary>Errors about private addresses in subnets: network interfaces and scale sets.</summary>
public static partial class ArmErrors
{
    public static ArmError SubnetPrefixInvalid(string path, string subnetId, string? prefix) => new("InvalidAddressPrefix",
        $"Subnet {subnetId} has no valid address prefix ('{prefix}'), so no private address can be allocated from it.", path);

    public static ArmError PrivateIPAddressRequired(string path, string owner) => new("PrivateIPAddressRequired",
        $"The IP configuration {owner} allocates its address Static, so it must give privateIPAddress.", path);

    public static ArmError PrivateIPAddressNotInSubnet(string path, string address, string subnetId, string prefix) => new("PrivateIPAddressNotInSubnet",
        $"Private static IP address {address} does not belong to the range of subnet prefix {prefix} of subnet {subnetId}.", path);

    public static ArmError PrivateIPAddressInReservedRange(string path, string address, string prefix) => new("PrivateIPAddressInReservedRange",
        $"Private static IP address {address} falls within the reserved range of subnet prefix {prefix}: Azure keeps its first four and its last address.", path);

    public static ArmError PrivateIPAddressInUse(string path, string address, string holder) => new("PrivateIPAddressInUse",
        $"The private IP address {address} at '{path}' is already allocated to {holder}.", path);

    public static ArmError SubnetIsFull(string path, string subnetId, string prefix) => new("SubnetIsFull",
        $"Subnet {subnetId} with address prefix {prefix} does not have enough capacity for 1 IP address.", path);
}
