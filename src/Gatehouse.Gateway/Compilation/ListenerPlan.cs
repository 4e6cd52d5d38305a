using System.Globalization;
using Gatehouse.Gateway.Routing;
using Gatehouse.Gateway.Tls;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Compilation;

/// <summary>An httpListener ready to serve: its TLS settings (Https only) and the route of its routing rule.</summary>
internal sealed record ListenerPlan(
    string GatewayId,
    string Id,
    string Name,
    int FrontendPort,
    ListenerProtocol Protocol,
    IReadOnlyList<string> HostNames,
    ListenerTls? Tls,
    RoutePlan Route)
{
    /// <summary>For X-Forwarded-Port and <c>server_port</c>: the template's port, not the local one it is mapped to.</summary>
    public string FrontendPortText { get; } = FrontendPort.ToString(CultureInfo.InvariantCulture);
}
