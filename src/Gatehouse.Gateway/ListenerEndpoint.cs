using System.Net;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway;

/// <summary>A listener as it is bound now: the template's frontend port and the local end point serving it.</summary>
public sealed record ListenerEndpoint(
    string GatewayId,
    string ListenerName,
    int FrontendPort,
    IPEndPoint LocalEndPoint,
    ListenerProtocol Protocol);
