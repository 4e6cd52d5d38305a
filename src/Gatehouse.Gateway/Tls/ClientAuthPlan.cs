using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Tls;

/// <summary>What a client certificate went through on a connection.</summary>
internal enum ClientCertificateCheck { Absent, Failed, Verified }

/// <summary>
/// A listener's client authentication from its sslProfile: none (no CertificateRequest), Passthrough
/// (requested, never checked) or Strict (requested, checked against the profile's trusted client CAs only).
/// </summary>
internal sealed class ClientAuthPlan
{
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    private readonly IReadOnlyList<string> _issuerNames;

    private ClientAuthPlan(ClientAuthMode? mode, X509ChainPolicy? chainPolicy, X509Certificate2Collection trustedCas,
        IReadOnlyList<X500DistinguishedName> issuerNames, bool checksRevocation, string key)
    {
        Mode = mode;
        ChainPolicy = chainPolicy;
        TrustedCas = trustedCas;
        _issuerNames = [.. issuerNames.Select(CanonicalName.Of)];
        ChecksRevocation = checksRevocation;
        Key = key;
    }

    public static ClientAuthPlan None { get; } = new(null, null, [], [], false, "none");

    /// <summary>
    /// The empty custom root store keeps .NET from building every presented chain against the machine
    /// store, which is wasted work when nothing is checked (performance-notes.md).
    /// </summary>
    public static ClientAuthPlan Passthrough { get; } = new(ClientAuthMode.Passthrough, CreateChainPolicy([], []), [], [], false, "passthrough");

    /// <param name="trustedCas">Every CA of the profile's trusted client certificates; self-signed ones become the roots.</param>
    /// <param name="issuerNames">One extracted DN per trusted file when verifyClientCertIssuerDN is on, else empty.</param>
    /// <param name="checksRevocation">verifyClientRevocation OCSP: a certificate that verifies must also be good at its responder.</param>
    public static ClientAuthPlan Strict(X509Certificate2Collection trustedCas, IReadOnlyList<X500DistinguishedName> issuerNames,
        bool checksRevocation)
    {
        var roots = new X509Certificate2Collection();
        var intermediates = new X509Certificate2Collection();
        foreach (var ca in trustedCas)
            (ca.SubjectName.RawData.AsSpan().SequenceEqual(ca.IssuerName.RawData) ? roots : intermediates).Add(ca);
        var key = "strict:" + string.Join(',', trustedCas.Select(c => c.Thumbprint).Order(StringComparer.Ordinal)) +
            "|" + string.Join(',', issuerNames.Select(n => Convert.ToHexString(n.RawData))) + (checksRevocation ? "|ocsp" : "");
        return new(ClientAuthMode.Strict, CreateChainPolicy(roots, intermediates), trustedCas, issuerNames, checksRevocation, key);
    }

    /// <summary>Null for listeners that do not ask for a client certificate.</summary>
    public ClientAuthMode? Mode { get; }

    /// <summary>Trust for the client chain: only the profile's CAs, never the machine store; no revocation, no downloads.</summary>
    public X509ChainPolicy? ChainPolicy { get; }

    /// <summary>Advertised in the CertificateRequest (Strict only).</summary>
    public X509Certificate2Collection TrustedCas { get; }

    /// <summary>Strict with verifyClientRevocation OCSP (Azure checks OCSP only, never CRLs).</summary>
    public bool ChecksRevocation { get; }

    /// <summary>Equal for listeners whose client-certificate handling is the same, across plans.</summary>
    public string Key { get; }

    /// <summary>Strict verdict from the handshake: <paramref name="errors"/> was computed with <see cref="ChainPolicy"/>.</summary>
    public ClientCertificateCheck Verify(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return ClientCertificateCheck.Absent;
        if (errors != SslPolicyErrors.None) return ClientCertificateCheck.Failed;
        if (_issuerNames.Count == 0) return ClientCertificateCheck.Verified;
        // .NET hands the peer certificate over as an X509Certificate2.
        var issuer = CanonicalName.Of(((X509Certificate2)certificate).IssuerName);
        return _issuerNames.Contains(issuer, StringComparer.Ordinal)
            ? ClientCertificateCheck.Verified
            : ClientCertificateCheck.Failed;
    }

    private static X509ChainPolicy CreateChainPolicy(X509Certificate2Collection roots, X509Certificate2Collection intermediates)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
            // An extended key usage without clientAuth fails ("Unsupported certificate purpose"); none at all is any purpose.
            ApplicationPolicy = { new Oid(ClientAuthenticationOid) },
        };
        policy.CustomTrustStore.AddRange(roots);
        policy.ExtraStore.AddRange(intermediates);
        return policy;
    }
}
