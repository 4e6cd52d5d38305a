using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Gateway.Tls;

/// <summary>
/// What the handshake decided for one connection, kept in the connection's items so that every request on
/// it can use it: whether the client sent SNI, the client authentication negotiated, the Strict verdict, and
/// the certificate variables (computed on first use, once per connection).
/// </summary>
internal sealed class TlsConnectionState(ClientAuthPlan clientAuth, bool serverNameSent)
{
    private ClientCertificateVariables? _variables;

    public ClientAuthPlan ClientAuth { get; } = clientAuth;

    /// <summary>False when the listener was chosen without a name, so no request may pick a listener by name alone.</summary>
    public bool ServerNameSent { get; } = serverNameSent;

    public ClientCertificateCheck Check { get; private set; }

    public static TlsConnectionState? Of(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(typeof(TlsConnectionState), out var state) == true
            ? state as TlsConnectionState
            : null;

    public void AttachTo(IDictionary<object, object?> connectionItems) => connectionItems[typeof(TlsConnectionState)] = this;

    /// <summary>Strict handshakes always succeed; the verdict becomes an HTTP 400 per request, as Azure answers.</summary>
    public bool OnClientCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        Check = ClientAuth.Verify(certificate, errors);
        return true;
    }

    public ClientCertificateVariables Variables(X509Certificate2? certificate) =>
        _variables ??= ClientCertificateVariables.For(certificate, ClientAuth.Mode);
}
