using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Gateway.Observability;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Gateway.Tls;

/// <summary>
/// What the handshake decided for one connection, kept in the connection's items so that every request on
/// it can use it: whether the client sent SNI, the client authentication negotiated, the Strict verdict (with
/// its OCSP answer when revocation is checked), and the certificate variables (computed on first use, once
/// per connection).
/// </summary>
internal sealed class TlsConnectionState(ClientAuthPlan clientAuth, bool serverNameSent)
{
    private ClientCertificateVariables? _variables;
    private ClientCertificateCheck _check;
    private OcspQuery? _revocation;
    private Task<ClientCertificateCheck>? _revocationCheck;
    private object? _revocationCheckLock;

    public ClientAuthPlan ClientAuth { get; } = clientAuth;

    /// <summary>
    /// Why the handshake's certificate failed Strict, in OpenSSL's words as nginx logs them; null when it did not, or
    /// when it is the responder's answer that fails it.
    /// </summary>
    public string? FailureReason { get; private set; }

    /// <summary>False when the listener was chosen without a name, so no request may pick a listener by name alone.</summary>
    public bool ServerNameSent { get; } = serverNameSent;

    public static TlsConnectionState? Of(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(typeof(TlsConnectionState), out var state) == true
            ? state as TlsConnectionState
            : null;

    public void AttachTo(IDictionary<object, object?> connectionItems) => connectionItems[typeof(TlsConnectionState)] = this;

    /// <summary>
    /// Strict handshakes always succeed; the verdict becomes an HTTP 400 per request, as Azure answers. The
    /// responder is not asked here: this callback is synchronous, and the handshake must not wait on the network.
    /// </summary>
    public bool OnClientCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        _check = ClientAuth.Verify(certificate, errors);
        if (_check == ClientCertificateCheck.Failed) FailureReason = VerifyFailure.Describe(chain, errors);
        if (_check == ClientCertificateCheck.Verified && ClientAuth.ChecksRevocation)
        {
            _revocation = OcspQuery.For((X509Certificate2)certificate!, chain!, ClientAuth.ChainPolicy!);
            // No responder to ask fails the certificate, as an unresolvable one does on Azure.
            if (_revocation is null) (_check, FailureReason) = (ClientCertificateCheck.Failed, VerifyFailure.NoResponder);
        }
        return true;
    }

    /// <summary>
    /// The Strict verdict for a request: the handshake's, and when revocation is checked, the responder's answer
    /// too, looked up on the first request and shared by every later one on the connection.
    /// </summary>
    public ValueTask<ClientCertificateCheck> CheckAsync(OcspClient ocsp) => _revocation is not { } query
        ? ValueTask.FromResult(_check)
        : new(LazyInitializer.EnsureInitialized(ref _revocationCheck, ref _revocationCheckLock, () => CheckRevocationAsync(ocsp, query)));

    private static async Task<ClientCertificateCheck> CheckRevocationAsync(OcspClient ocsp, OcspQuery query) =>
        // Unknown fails too, as nginx's ssl_ocsp does: only a good answer admits the certificate.
        (await ocsp.AnswerAsync(query)).Status == OcspCertStatus.Good ? ClientCertificateCheck.Verified : ClientCertificateCheck.Failed;

    public ClientCertificateVariables Variables(X509Certificate2? certificate) =>
        _variables ??= ClientCertificateVariables.For(certificate, ClientAuth.Mode);
}
