namespace Gatehouse.Network.ApplicationGateways;

/// <summary>A listener certificate: the PFX exactly as uploaded (write-only in the API).</summary>
public sealed record SslCertificate(string Id, string Name, ReadOnlyMemory<byte> Pfx, string? Password);

/// <summary>A CA chain that Strict listeners trust for client certificates (PEM text or base64 DER).</summary>
public sealed record TrustedClientCertificate(string Id, string Name, string Data);

/// <summary>
/// A TLS policy as written: Predefined (<see cref="PolicyName"/>), Custom or CustomV2
/// (<see cref="MinProtocolVersion"/> and <see cref="CipherSuites"/>). <see cref="SslPolicies.Resolve"/> turns it
/// into protocols and suites.
/// </summary>
public sealed record SslPolicy(
    string? PolicyType,
    string? PolicyName,
    string? MinProtocolVersion,
    IReadOnlyList<string> CipherSuites,
    IReadOnlyList<string> DisabledSslProtocols);

public sealed record SslProfile(
    string Id,
    string Name,
    ClientAuthConfiguration? ClientAuthConfiguration,
    SslPolicy? SslPolicy,
    IReadOnlyList<string> TrustedClientCertificateIds)
{
    /// <summary>
    /// How listeners with this profile treat client certificates: Passthrough when the profile says so; Strict
    /// when it trusts client CAs; <c>null</c> (no certificate asked for) for a profile that only sets a TLS policy.
    /// </summary>
    public ClientAuthMode? ClientAuthentication =>
        ClientAuthConfiguration?.VerifyClientAuthMode == ClientAuthMode.Passthrough ? ClientAuthMode.Passthrough
        : TrustedClientCertificateIds.Count > 0 ? ClientAuthMode.Strict
        : null;
}

public enum ClientAuthMode { Strict, Passthrough }

public enum ClientRevocation { None, Ocsp }

public sealed record ClientAuthConfiguration(
    bool VerifyClientCertIssuerDN,
    ClientRevocation VerifyClientRevocation,
    ClientAuthMode VerifyClientAuthMode);
