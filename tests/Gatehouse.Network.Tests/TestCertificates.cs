using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Network.Tests;

/// <summary>Certificates made for a test: CA chains for trusted client certificates, leaves, PEM text.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Root(string subject) => Issue(subject, issuer: null, authority: true);

    public static X509Certificate2 Issue(string subject, X509Certificate2? issuer, bool authority)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256); // fast to make, unlike RSA
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(authority, false, 0, true));
        var (from, to) = (DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        if (issuer is null) return request.CreateSelfSigned(from, to);
        // Made a moment after its issuer, it would outlive the issuer by that moment (when a second ticks between), which Create refuses.
        using var issued = request.Create(issuer, from, to < issuer.NotAfter ? to : issuer.NotAfter, RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    public static string Pem(params X509Certificate2[] certificates) =>
        string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));
}
