using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Control;

/// <summary>A frontend IP configuration with the local endpoints (address:port) the data plane bound for its listeners.</summary>
public sealed record ServedFrontend(FrontendIpConfiguration Frontend, IReadOnlyList<string> LocalEndPoints)
{
    /// <summary>
    /// Each frontend of <paramref name="gateway"/> with what <paramref name="served"/> (the data plane's bound listeners)
    /// says serves it: read from the sockets as bound, never recomputed, so --listen-address and --frontend show as they took effect.
    /// </summary>
    public static IReadOnlyList<ServedFrontend> Of(ApplicationGateway gateway, IReadOnlyList<ServedListener> served) =>
    [
        .. gateway.FrontendIpConfigurations.Select(frontend =>
        {
            var listeners = gateway.HttpListeners.Where(l => string.Equals(l.FrontendIpConfigurationId, frontend.Id, StringComparison.OrdinalIgnoreCase))
                .Select(l => l.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return new ServedFrontend(frontend, [.. served
                .Where(s => s.GatewayId.Equals(gateway.Id, StringComparison.OrdinalIgnoreCase) && listeners.Contains(s.ListenerName))
                .Select(s => s.LocalEndPoint).Distinct().Order(StringComparer.Ordinal)]);
        }),
    ];
}
