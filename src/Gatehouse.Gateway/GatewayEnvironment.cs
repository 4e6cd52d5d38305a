using System.Net;
using Gatehouse.Gateway.Authentication;
using Gatehouse.Gateway.Backends;

namespace Gatehouse.Gateway;

/// <summary>
/// Where a compiled gateway runs. <see cref="Resolve"/> maps a backend host name to <c>address</c> or
/// <c>address:port</c> (a port here replaces the backend settings' port), like <c>curl --resolve</c>.
/// <see cref="PortMap"/> maps a frontend port to the local port to bind (0 = let the OS pick).
/// <see cref="BindAddress"/> is where every listener binds; null gives each frontend its own local address (see
/// <see cref="LocalAddress"/>), so that several gateways, or a public and a private frontend, share a port as in Azure.
/// </summary>
public sealed record GatewayEnvironment(
    IReadOnlyDictionary<string, string> Resolve,
    IReadOnlyDictionary<int, int> PortMap,
    IPAddress? BindAddress)
{
    /// <summary>Frontend addresses (a public IP's, a private frontend's) mapped to the local address that serves them.</summary>
    public IReadOnlyDictionary<string, IPAddress> Frontends { get; init; } = new Dictionary<string, IPAddress>();

    /// <summary>
    /// The local address that serves a frontend reached at <paramref name="frontendAddress"/>: <see cref="BindAddress"/>
    /// when given; else the frontend's mapping in <see cref="Frontends"/>; else a loopback address as it is (public IPs
    /// get one of their own); else, for a private IPv4 address a.b.c.d, 127.(128 + b % 128).c.d, a loopback address of its
    /// own that stays the same across restarts; else 127.0.0.1.
    /// </summary>
    public IPAddress LocalAddress(string? frontendAddress)
    {
        if (BindAddress is not null) return BindAddress;
        if (frontendAddress is null || !IPAddress.TryParse(frontendAddress, out var address)) return IPAddress.Loopback;
        if (Frontends.TryGetValue(address.ToString(), out var mapped)) return mapped;
        if (IPAddress.IsLoopback(address)) return address;
        return address.GetAddressBytes() is [_, var b, var c, var d] ? new IPAddress([127, (byte)(128 + b % 128), c, d]) : IPAddress.Loopback;
    }

    /// <summary>
    /// Resolves pool members' FQDNs through DNS, on their TTL; null leaves each connection to the system's resolver, which
    /// hides TTLs. <see cref="Resolve"/> entries come first, fixed.
    /// </summary>
    public BackendNames? BackendNames { get; init; }

    /// <summary>The OpenID provider whose tokens entraJWTValidationConfigs accept; a gateway with one cannot be served without it.</summary>
    public EntraAuthority? EntraAuthority { get; init; }

    /// <summary>No name overrides, every frontend port bound as itself, on 127.0.0.1.</summary>
    public static GatewayEnvironment Loopback { get; } =
        new(new Dictionary<string, string>(), new Dictionary<int, int>(), IPAddress.Loopback);
}
