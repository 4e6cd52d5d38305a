using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using Gatehouse.Errors;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// The upload rules of a trusted client CA file (appgw-behaviour §1.2) and the issuer DN derived from it (§1.4).
/// The data is PEM text with one or many certificate blocks, or a bare base64 DER certificate.
/// </summary>
public static class TrustedClientCertificateData
{
    /// <summary>Azure's size limit for one uploaded CA file (root and intermediates together).</summary>
    public const int MaxBytes = 25 * 1024;

    /// <summary>
    /// The CA certificates of the file in file order (a leaf is tolerated and left out). Throws
    /// <see cref="ArmException"/> with Azure's code, naming the certificate <paramref name="id"/>, with
    /// <paramref name="target"/> (or the id) as its target.
    /// </summary>
    public static X509Certificate2Collection LoadAuthorities(string id, string? data, string? target = null)
    {
        target ??= id;
        if (string.IsNullOrWhiteSpace(data))
            throw new ArmException(ArmErrors.TrustedClientCertificateDataMissing(target, id));
        if (data.Length > MaxBytes)
            throw new ArmException(ArmErrors.TrustedClientCertificateTooLarge(target, id, data.Length, MaxBytes));
        if (data.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            throw new ArmException(ArmErrors.TrustedClientCertificateWithPrivateKey(target, id));

        var certificates = PublicCertificates.TryLoad(data) ?? throw new ArmException(ArmErrors.TrustedClientCertificateInvalidData(target, id));
        var authorities = new X509Certificate2Collection(certificates.Where(IsAuthority).ToArray());
        // A leaf left out, or every certificate of a refused file, is ours to release.
        foreach (var certificate in certificates)
            if (!authorities.Contains(certificate)) certificate.Dispose();
        var roots = authorities.Count(IsSelfIssued);
        if (authorities.Count == 0 || roots != 1)
        {
            authorities.DisposeAll();
            throw new ArmException(authorities.Count == 0
                ? ArmErrors.TrustedClientCertificateWithoutCa(target, id)
                : ArmErrors.TrustedClientCertificateRootCount(target, id, roots));
        }
        return authorities;
    }

    /// <summary>
    /// The subject of the CA closest to the leaf in the longest chain of the file (the first such chain when
    /// several are equally long); for a root alone, the root's subject.
    /// </summary>
    public static X500DistinguishedName IssuerName(X509Certificate2Collection authorities)
    {
        X509Certificate2? lowest = null;
        var lowestDepth = -1;
        foreach (var authority in authorities)
        {
            var depth = DepthBelowRoot(authority, authorities);
            if (depth > lowestDepth) (lowest, lowestDepth) = (authority, depth);
        }
        return lowest!.SubjectName;
    }

    private static int DepthBelowRoot(X509Certificate2 authority, X509Certificate2Collection authorities)
    {
        var depth = 0;
        for (var current = authority; depth < authorities.Count && !IsSelfIssued(current); depth++)
        {
            var issuer = authorities.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData));
            if (issuer is null) break;
            current = issuer;
        }
        return depth;
    }

    private static bool IsAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

    private static bool IsSelfIssued(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
}
