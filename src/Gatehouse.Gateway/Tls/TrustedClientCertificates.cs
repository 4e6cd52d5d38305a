using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Arm;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Tls;

/// <summary>Reads a trustedClientCertificates entry and extracts the DN that issuer-DN verification compares with.</summary>
internal static class TrustedClientCertificates
{
    /// <summary>The CA certificates of one uploaded file, in file order: PEM text (one or many blocks) or bare base64 DER.</summary>
    public static X509Certificate2Collection Load(TrustedClientCertificate trusted)
    {
        var certificates = PublicCertificates.TryLoad(trusted.Data) ?? throw Invalid(trusted, "is not a PEM or base64 X.509 certificate");
        // A leaf in the file is tolerated but ignored (appgw-behaviour §1.2).
        var cas = new X509Certificate2Collection(certificates.Where(IsCa).ToArray());
        if (cas.Count == 0) throw Invalid(trusted, "contains no CA certificate");
        return cas;
    }

    /// <summary>
    /// appgw-behaviour §1.4: the subject of the CA closest to the leaf in the longest chain of the file (the
    /// first such chain when several are equally long); for a root alone, the root's subject.
    /// </summary>
    public static X500DistinguishedName IssuerName(X509Certificate2Collection cas)
    {
        X509Certificate2? lowest = null;
        var lowestDepth = -1;
        foreach (var ca in cas)
        {
            var depth = DepthBelowRoot(ca, cas);
            if (depth > lowestDepth) (lowest, lowestDepth) = (ca, depth);
        }
        return lowest!.SubjectName;
    }

    private static int DepthBelowRoot(X509Certificate2 ca, X509Certificate2Collection cas)
    {
        var depth = 0;
        for (var current = ca; depth < cas.Count && !IsSelfIssued(current); depth++)
        {
            var issuer = cas.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData));
            if (issuer is null) break;
            current = issuer;
        }
        return depth;
    }

    private static bool IsSelfIssued(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    private static bool IsCa(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

    private static ArmException Invalid(TrustedClientCertificate trusted, string problem) => new(
        "ApplicationGatewayTrustedClientCertificateInvalidData",
        $"The trusted client certificate '{trusted.Name}' {problem}.", trusted.Id);
}
