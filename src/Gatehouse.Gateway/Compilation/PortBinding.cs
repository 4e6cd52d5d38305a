using System.Net;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Compilation;

/// <summary>
/// Identifies one local server. A fixed local port is shared by every listener mapped to it; a port the OS
/// picks (0) is one server per frontend port, so that the same frontend port keeps its server across plans.
/// </summary>
internal readonly record struct PortBinding(IPAddress Address, int LocalPort, int FrontendPort, ListenerProtocol Protocol)
{
    public static PortBinding For(IPAddress address, int localPort, int frontendPort, ListenerProtocol protocol) =>
        new(address, localPort, localPort == 0 ? frontendPort : 0, protocol);
}
