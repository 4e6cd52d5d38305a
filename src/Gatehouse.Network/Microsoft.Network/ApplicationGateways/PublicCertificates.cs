using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// Public certificate data as ARM carries it (trustedClientCertificates, trustedRootCertificates): PEM text with one
/// or many blocks, or base64 of a DER or of a PEM file.
/// </summary>
public static class PublicCertificates
{
    /// <summary>The certificates in file order; null when the data is none of these forms.</summary>
    public static X509Certificate2Collection? TryLoad(string data)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            if (data.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                certificates.ImportFromPem(data);
                return certificates.Count > 0 ? certificates : null;
            }
            var bytes = Convert.FromBase64String(data.Trim());
            if (bytes.AsSpan().StartsWith("-----BEGIN"u8)) return TryLoad(Encoding.ASCII.GetString(bytes));
            certificates.Add(X509CertificateLoader.LoadCertificate(bytes));
            return certificates;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }
}
