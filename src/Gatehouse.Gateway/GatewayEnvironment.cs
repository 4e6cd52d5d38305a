using System.Net;
using Gatehouse.Gateway.Authentication;

namespace Gatehouse.Gateway;

/// <summary>
/// Where a compiled gateway runs. <see cref="Resolve"/> maps a backend host name to <c>address</c> or
/// <c>address:port</c> (a port here replaces the backend settings' port), like <c>curl --resolve</c>.
/// <see cref="PortMap"/> maps a frontend port to the local port to bind (0 = let the OS pick).
/// <see cref="BindAddress"/> is where listeners bind.
/// </summary>
public sealed record GatewayEnvironment(
    IReadOnlyDictionary<string, string> Resolve,
    IReadOnlyDictionary<int, int> PortMap,
    IPAddress BindAddress)
{
    /// <summary>The OpenID provider whose tokens entraJWTValidationConfigs accept; a gateway with one cannot be served without it.</summary>
    public EntraAuthority? EntraAuthority { get; init; }

    /// <summary>No name overrides, every frontend port bound as itself, on 127.0.0.1.</summary>
    public static GatewayEnvironment Loopback { get; } =
        new(new Dictionary<string, string>(), new Dictionary<int, int>(), IPAddress.Loopback);
}
