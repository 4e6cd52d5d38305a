using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Gateway.Backends;

/// <summary>
/// How an Https backend's certificate is judged (appgw-behaviour §5.8): trusted by the machine's store or, when the
/// settings list trustedRootCertificates, chaining to one of them; its name must match the SNI sent (the Host the
/// backend gets) unless validateSNI is off; validateCertChainAndExpiry off skips the chain and dates.
/// A client's validation callback is fixed, so the host keeps one backend client per <see cref="Identity"/>.
/// </summary>
/// <param name="trustedRoots">Owned by the plan; a backend client, which outlives plans, judges with a <see cref="Copy"/>.</param>
/// <param name="sniName">The settings' sniName: the SNI sent instead of the Host, and the name the certificate must carry.</param>
internal sealed class BackendTls(X509Certificate2Collection trustedRoots, bool validateChain, bool validateName, string? sniName) : IDisposable
{
    /// <summary>Equal for settings that judge certificates alike, so that they share a client and its pooled connections.</summary>
    public string Identity { get; } =
        $"chain={validateChain};name={validateName};sni={sniName};roots={string.Join(",", trustedRoots.Select(r => r.Thumbprint).Order(StringComparer.Ordinal))}";

    public string? SniName => sniName;

    /// <summary>The same judgement with roots of its own, which its holder disposes.</summary>
    public BackendTls Copy() =>
        new([.. trustedRoots.Select(root => X509CertificateLoader.LoadCertificate(root.RawData))], validateChain, validateName, sniName);

    public void Dispose()
    {
        foreach (var root in trustedRoots) root.Dispose();
    }

    public bool Accepts(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return false;
        if (validateName && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) return false;
        if (!validateChain || !errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)) return true;
        return trustedRoots.Count > 0 && ChainsToTrustedRoot((X509Certificate2)certificate, chain);
    }

    private bool ChainsToTrustedRoot(X509Certificate2 certificate, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        return chain.Build(certificate);
    }
}
