using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Gateway.Tls;

/// <summary>
/// What to ask which OCSP responder about one client certificate (RFC 6960 §4.1): its CertID, the responder
/// named in its AIA, and what an answer must be signed by (the issuer, or a responder the issuer delegated to
/// under <see cref="Trust"/>).
/// </summary>
internal sealed class OcspQuery
{
    private const string Sha1Oid = "1.3.14.3.2.26";

    private OcspQuery(Uri responder, byte[] certId, X509Certificate2 issuer, X509ChainPolicy trust)
    {
        Responder = responder;
        CertId = certId;
        Issuer = issuer;
        Trust = trust;
        // Issuer name and key hashes plus serial: the same certificate, whichever connection presents it; and the trust
        // it is judged by, so that a plan with other CAs never shares an answer (or a lookup) verified against another's.
        CacheKey = $"{Convert.ToHexString(certId)}/{TrustKey(trust)}";
    }

    public Uri Responder { get; }

    /// <summary>The DER CertID, compared field by field with the one the responder answers for.</summary>
    public byte[] CertId { get; }

    public X509Certificate2 Issuer { get; }

    /// <summary>The trust the client chain was verified with; a delegated responder must chain to it too.</summary>
    public X509ChainPolicy Trust { get; }

    public string CacheKey { get; }

    /// <summary>
    /// For a certificate whose chain verified: null when its AIA names no http(s) OCSP responder, which fails
    /// the certificate as an unresolvable responder does on Azure.
    /// </summary>
    /// <param name="chain">The verified chain; SslStream disposes its certificates after the callback, so the issuer is copied.</param>
    public static OcspQuery? For(X509Certificate2 certificate, X509Chain chain, X509ChainPolicy trust)
    {
        if (chain.ChainElements.Count < 2) return null;
        var responder = certificate.Extensions.OfType<X509AuthorityInformationAccessExtension>()
            .SelectMany(aia => aia.EnumerateOcspUris())
            .Select(uri => Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed : null)
            .FirstOrDefault(uri => uri is not null && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));
        if (responder is null) return null;
        var issuer = X509CertificateLoader.LoadCertificate(chain.ChainElements[1].Certificate.RawData);
        return new OcspQuery(responder, EncodeCertId(certificate, issuer), issuer, trust);
    }

    private static string TrustKey(X509ChainPolicy trust)
    {
        var anchors = trust.CustomTrustStore.Concat(trust.ExtraStore).Select(c => c.GetCertHashString(HashAlgorithmName.SHA256)).Order(StringComparer.Ordinal);
        return Convert.ToHexString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(string.Join(',', anchors))));
    }

    /// <summary>An unsigned OCSPRequest for this one certificate, without a nonce so that answers can be cached.</summary>
    public byte[] EncodeRequest()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence()) // OCSPRequest
        using (writer.PushSequence()) // TBSRequest
        using (writer.PushSequence()) // requestList
        using (writer.PushSequence()) // Request
            writer.WriteEncodedValue(CertId);
        return writer.Encode();
    }

    private static byte[] EncodeCertId(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Sha1Oid);
                writer.WriteNull();
            }
            writer.WriteOctetString(SHA1.HashData(certificate.IssuerName.RawData));
            // The hash covers the subjectPublicKey BIT STRING's contents, which is what EncodedKeyValue holds.
            writer.WriteOctetString(SHA1.HashData(issuer.PublicKey.EncodedKeyValue.RawData));
            writer.WriteInteger(certificate.SerialNumberBytes.Span);
        }
        return writer.Encode();
    }
}
