using System.Collections.Frozen;
using System.Globalization;
using Gatehouse.Gateway.Forwarding;
using Gatehouse.Gateway.Observability;
using Gatehouse.Gateway.Routing;
using Gatehouse.Gateway.Tls;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Compilation;

/// <summary>
/// An httpListener ready to serve: its TLS settings (Https only), the route of its routing rule, and the
/// incoming headers that would pass for client-certificate data, and the names its requests are logged under.
/// </summary>
/// <param name="CustomErrorPageUrls">By status: the listener's customErrorConfigurations over the gateway's.</param>
internal sealed record ListenerPlan(
    string GatewayId,
    string Id,
    string Name,
    int FrontendPort,
    ListenerProtocol Protocol,
    IReadOnlyList<string> HostNames,
    bool RequireServerNameIndication,
    ListenerTls? Tls,
    RoutePlan Route,
    ClientCertificateHeaders CertificateHeaders,
    ListenerLabels Labels,
    FrozenDictionary<int, string> CustomErrorPageUrls)
{
    /// <summary>For X-Forwarded-Port and <c>server_port</c>: the template's port, not the local one it is mapped to.</summary>
    public string FrontendPortText { get; } = FrontendPort.ToString(CultureInfo.InvariantCulture);
}
