using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Tls;

/// <summary>
/// What the handshake of an Https listener uses: its certificate context (built once), the TLS policy's
/// protocols and cipher suites, and its client authentication.
/// </summary>
internal sealed class ListenerTls
{
    private static readonly List<SslApplicationProtocol> Http11Only = [SslApplicationProtocol.Http11];
    private static readonly List<SslApplicationProtocol> Http2AndHttp11 = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    private readonly SslStreamCertificateContext _certificate;
    private readonly SslProtocols _protocols;
    private readonly CipherSuitesPolicy? _cipherSuites;
    private readonly List<SslApplicationProtocol>? _applicationProtocols;
    private readonly SslServerAuthenticationOptions _shared;

    /// <param name="applicationProtocols">What ALPN offers (<see cref="Http"/>); null for a TLS listener, whose bytes are not HTTP.</param>
    public ListenerTls(SslStreamCertificateContext certificate, SslProtocols protocols, CipherSuitesPolicy? cipherSuites,
        ClientAuthPlan clientAuth, List<SslApplicationProtocol>? applicationProtocols)
    {
        _certificate = certificate;
        _protocols = protocols;
        _cipherSuites = cipherSuites;
        _applicationProtocols = applicationProtocols;
        ClientAuth = clientAuth;
        _shared = Create(clientAuth.Mode == ClientAuthMode.Passthrough ? AcceptAny : null);
    }

    public ClientAuthPlan ClientAuth { get; }

    /// <summary>An Https listener's ALPN: h2 too when the gateway's enableHttp2 is on (client side only; backends get HTTP/1.1).</summary>
    public static List<SslApplicationProtocol> Http(bool http2) => http2 ? Http2AndHttp11 : Http11Only;

    /// <summary>
    /// Options for one handshake. SslStream copies them, so one instance serves every connection, except in
    /// Strict mode where the validation callback records its verdict on the connection.
    /// </summary>
    public SslServerAuthenticationOptions OptionsFor(TlsConnectionState connection) =>
        ClientAuth.Mode == ClientAuthMode.Strict ? Create(connection.OnClientCertificate) : _shared;

    private SslServerAuthenticationOptions Create(RemoteCertificateValidationCallback? validation) => new()
    {
        ServerCertificateContext = _certificate,
        EnabledSslProtocols = _protocols,
        CipherSuitesPolicy = _cipherSuites,
        // Azure sends a CertificateRequest in both modes and settles the outcome in HTTP, never in TLS.
        ClientCertificateRequired = ClientAuth.Mode is not null,
        RemoteCertificateValidationCallback = validation,
        CertificateChainPolicy = ClientAuth.ChainPolicy,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        // v2 resumes no sessions; a resumed session would also skip the client-certificate callback and could
        // carry an identity from a listener with another policy (nginx CVE-2025-23419).
        AllowTlsResume = false,
        // The client certificate is settled at the handshake; no renegotiation can change it (peers-mtls §6.3).
        AllowRenegotiation = false,
        ApplicationProtocols = _applicationProtocols,
    };

    private static bool AcceptAny(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;
}
