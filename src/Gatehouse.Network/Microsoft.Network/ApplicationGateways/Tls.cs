using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using Gatehouse.Errors;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// A listener certificate: the PFX exactly as uploaded (write-only in the API), or read from Key Vault
/// (<see cref="KeyVaultSecretId"/>) by <see cref="KeyVaultCertificates.Read"/> before the gateway is compiled.
/// </summary>
public sealed record SslCertificate(string Id, string Name, ReadOnlyMemory<byte> Pfx, string? Password)
{
    public string? KeyVaultSecretId { get; init; }

    /// <summary>Why the certificate could not be read from Key Vault: the HTTPS listeners that use it are disabled.</summary>
    public ArmError? Unreadable { get; init; }

    /// <summary>
    /// The PFX's certificates, the listener's own (with its private key) among them. Throws <see cref="ArmException"/>
    /// naming this certificate, never the password, when the data or password is wrong; its target is
    /// <paramref name="target"/>, or the certificate's id.
    /// </summary>
    public X509Certificate2Collection Load(string? target = null)
    {
        target ??= Id;
        X509Certificate2Collection chain;
        try { chain = X509CertificateLoader.LoadPkcs12Collection(Pfx.Span, Password, X509KeyStorageFlags.EphemeralKeySet); }
        catch (CryptographicException e) when (IsWrongPassword(e))
        {
            throw new ArmException(ArmErrors.SslCertificateWrongPassword(target, Id));
        }
        catch (CryptographicException)
        {
            throw new ArmException(ArmErrors.SslCertificateNotPfx(target, Id));
        }

        if (chain.Any(c => c.HasPrivateKey)) return chain;
        foreach (var certificate in chain) certificate.Dispose();
        throw new ArmException(ArmErrors.SslCertificateWithoutPrivateKey(target, Id));
    }

    private static bool IsWrongPassword(CryptographicException e) =>
        e.Message.Contains("password", StringComparison.OrdinalIgnoreCase) || e.HResult == unchecked((int)0x80070056);
}

/// <summary>A CA chain that Strict listeners trust for client certificates (PEM text or base64 DER).</summary>
public sealed record TrustedClientCertificate(string Id, string Name, string Data)
{
    /// <summary>The DN that issuer-DN verification compares with (appgw-behaviour §1.4), derived at upload.</summary>
    public string? ClientCertIssuerDN { get; init; }
}

/// <summary>
/// A root that HTTPS backends' certificates may chain to: base64 DER or PEM in <see cref="Data"/>, or a Key Vault secret
/// that <see cref="KeyVaultCertificates.Read"/> puts there.
/// </summary>
public sealed record TrustedRootCertificate(string Id, string Name, string? Data, string? KeyVaultSecretId)
{
    /// <summary>Why the root could not be read from Key Vault: backends are not trusted through it.</summary>
    public ArmError? Unreadable { get; init; }
}

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

/// <param name="VerifyClientAuthMode"><c>null</c> when not given: Strict for a profile that trusts client CAs (appgw-behaviour §1.1).</param>
public sealed record ClientAuthConfiguration(
    bool VerifyClientCertIssuerDN,
    ClientRevocation VerifyClientRevocation,
    ClientAuthMode? VerifyClientAuthMode);
