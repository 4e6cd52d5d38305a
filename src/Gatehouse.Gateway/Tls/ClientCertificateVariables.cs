using System.Security.Cryptography.X509Certificates;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Tls;

/// <summary>
/// The <c>client_certificate*</c> server variables of one connection, in the formats nginx gives its
/// <c>$ssl_client_*</c> variables (Azure's data plane is nginx-derived; appgw-behaviour §2.1).
/// </summary>
internal sealed record ClientCertificateVariables(
    string Certificate,
    string Verification,
    string Fingerprint,
    string Subject,
    string Issuer,
    string Serial,
    string StartDate,
    string EndDate)
{
    /// <param name="mode">The listener's client authentication; null when it asks for no certificate.</param>
    public static ClientCertificateVariables For(X509Certificate2? certificate, ClientAuthMode? mode)
    {
        // Strict requests only get this far with a verified certificate.
        var verification = mode switch
        {
            ClientAuthMode.Passthrough => certificate is null ? "NONE" : "PASSTHROUGH",
            ClientAuthMode.Strict => certificate is null ? "NONE" : "SUCCESS",
            _ => "",
        };
        if (certificate is null) return new("", verification, "", "", "", "", "", "");
        return new(
            CertificateFormats.EscapedPem(certificate.RawData),
            verification,
            Convert.ToHexStringLower(certificate.GetCertHash()),
            CertificateFormats.Rfc2253(certificate.SubjectName),
            CertificateFormats.Rfc2253(certificate.IssuerName),
            CertificateFormats.Serial(certificate.SerialNumberBytes.Span),
            CertificateFormats.Date(certificate.NotBefore),
            CertificateFormats.Date(certificate.NotAfter));
    }
}
