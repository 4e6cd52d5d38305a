using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Control.Security;

/// <summary>
/// How a client of the management API trusts it: only the CA that <c>serve</c> wrote to its data directory, never the
/// machine's store (the CA is made on first start, so no public root could vouch for it).
/// </summary>
public static class ManagementTrust
{
    public static SslClientAuthenticationOptions ClientOptions(string dataDirectory)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(Path.Combine(dataDirectory, ManagementServer.CaFileName));
        return new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, _, _) => IsIssuedBy(certificate, roots) };
    }

    private static bool IsIssuedBy(X509Certificate? certificate, X509Certificate2Collection roots)
    {
        if (certificate is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
