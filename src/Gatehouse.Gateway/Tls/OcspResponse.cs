using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Gateway.Tls;

/// <summary>certStatus of a SingleResponse, or Unavailable when no trustworthy answer came.</summary>
internal enum OcspCertStatus { Good, Revoked, Unknown, Unavailable }

/// <summary>A responder's answer about one certificate; it may be reused until <see cref="NextUpdate"/>.</summary>
internal sealed record OcspAnswer(OcspCertStatus Status, DateTimeOffset? NextUpdate)
{
    public static OcspAnswer Unavailable { get; } = new(OcspCertStatus.Unavailable, null);
}

/// <summary>
/// Reads an OCSPResponse (RFC 6960 §4.2) for an <see cref="OcspQuery"/> and accepts its answer only when it is
/// for that certificate, current, and signed by the issuer or by a responder the issuer delegated to (§4.2.2.2).
/// </summary>
internal static class OcspResponse
{
    private const string BasicResponseOid = "1.3.6.1.5.5.7.48.1.1";
    private const string OcspSigningOid = "1.3.6.1.5.5.7.3.9";

    /// <summary>Clocks of responder and gateway differ a little; more than this is a response from the future.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static readonly Asn1Tag Explicit0 = new(TagClass.ContextSpecific, 0, isConstructed: true);

    /// <exception cref="AsnContentException">The response is not DER of the expected shape.</exception>
    public static OcspAnswer Read(byte[] der, OcspQuery query, DateTimeOffset now)
    {
        var response = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        // responseStatus: anything but successful (0) carries no answer.
        if (response.ReadEnumeratedBytes().Span is not [0] || !response.HasData) return OcspAnswer.Unavailable;
        var bytes = response.ReadSequence(Explicit0).ReadSequence();
        if (bytes.ReadObjectIdentifier() != BasicResponseOid) return OcspAnswer.Unavailable;

        var basic = new AsnReader(bytes.ReadOctetString(), AsnEncodingRules.DER).ReadSequence();
        var tbsResponseData = basic.ReadEncodedValue();
        var signatureAlgorithm = basic.ReadSequence().ReadObjectIdentifier();
        var signature = basic.ReadBitString(out _);
        var certificates = basic.HasData ? ReadCertificates(basic.ReadSequence(Explicit0).ReadSequence()) : [];
        try
        {
            var signed = certificates.Prepend(query.Issuer).Any(signer =>
                Verifies(signer, signatureAlgorithm, tbsResponseData.Span, signature) && MaySign(signer, query, now));
            if (!signed) return OcspAnswer.Unavailable;
            return Answer(new AsnReader(tbsResponseData, AsnEncodingRules.DER).ReadSequence(), query, now);
        }
        finally
        {
            foreach (var certificate in certificates) certificate.Dispose();
        }
    }

    private static OcspAnswer Answer(AsnReader responseData, OcspQuery query, DateTimeOffset now)
    {
        if (responseData.PeekTag().HasSameClassAndValue(Explicit0)) responseData.ReadEncodedValue(); // version
        responseData.ReadEncodedValue(); // responderID: the signature already says who signed
        responseData.ReadGeneralizedTime(); // producedAt
        var responses = responseData.ReadSequence();
        while (responses.HasData)
        {
            var single = responses.ReadSequence();
            if (!SameCertificate(single.ReadEncodedValue(), query.CertId)) continue;
            var status = ReadCertStatus(single);
            var thisUpdate = single.ReadGeneralizedTime();
            DateTimeOffset? nextUpdate = single.HasData && single.PeekTag().HasSameClassAndValue(Explicit0)
                ? single.ReadSequence(Explicit0).ReadGeneralizedTime()
                : null;
            // §3.2: thisUpdate sufficiently recent, nextUpdate (when given) not passed.
            if (thisUpdate > now + ClockSkew || nextUpdate < now) return OcspAnswer.Unavailable;
            return new OcspAnswer(status, nextUpdate);
        }
        return OcspAnswer.Unavailable;
    }

    private static OcspCertStatus ReadCertStatus(AsnReader single)
    {
        var tag = single.PeekTag();
        single.ReadEncodedValue();
        return tag.TagClass != TagClass.ContextSpecific ? OcspCertStatus.Unavailable : tag.TagValue switch
        {
            0 => OcspCertStatus.Good,
            1 => OcspCertStatus.Revoked,
            _ => OcspCertStatus.Unknown,
        };
    }

    /// <summary>Same hash algorithm, hashes and serial; the algorithm's NULL parameters may be present or not.</summary>
    private static bool SameCertificate(ReadOnlyMemory<byte> answered, ReadOnlyMemory<byte> asked)
    {
        var a = new AsnReader(answered, AsnEncodingRules.DER).ReadSequence();
        var b = new AsnReader(asked, AsnEncodingRules.DER).ReadSequence();
        return a.ReadSequence().ReadObjectIdentifier() == b.ReadSequence().ReadObjectIdentifier()
            && a.ReadOctetString().AsSpan().SequenceEqual(b.ReadOctetString()) // issuerNameHash
            && a.ReadOctetString().AsSpan().SequenceEqual(b.ReadOctetString()) // issuerKeyHash
            && a.ReadIntegerBytes().Span.SequenceEqual(b.ReadIntegerBytes().Span);
    }

    /// <summary>The issuer itself, or a certificate it issued for OCSP signing that chains to the client trust.</summary>
    private static bool MaySign(X509Certificate2 signer, OcspQuery query, DateTimeOffset now)
    {
        if (signer.RawDataMemory.Span.SequenceEqual(query.Issuer.RawDataMemory.Span)) return true;
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
            VerificationTime = now.UtcDateTime,
            VerificationTimeIgnored = false,
            ApplicationPolicy = { new Oid(OcspSigningOid) },
        };
        policy.CustomTrustStore.AddRange(query.Trust.CustomTrustStore);
        policy.ExtraStore.AddRange(query.Trust.ExtraStore);
        using var chain = new X509Chain { ChainPolicy = policy };
        try
        {
            return chain.Build(signer) && chain.ChainElements.Count > 1
                && chain.ChainElements[1].Certificate.RawDataMemory.Span.SequenceEqual(query.Issuer.RawDataMemory.Span);
        }
        finally
        {
            foreach (var element in chain.ChainElements) element.Certificate.Dispose();
        }
    }

    private static bool Verifies(X509Certificate2 signer, string algorithm, ReadOnlySpan<byte> signed, byte[] signature)
    {
        if (SignatureHash(algorithm) is not { } hash) return false;
        using var rsa = signer.GetRSAPublicKey();
        if (rsa is not null) return algorithm.StartsWith("1.2.840.113549.", StringComparison.Ordinal)
            && rsa.VerifyData(signed, signature, hash, RSASignaturePadding.Pkcs1);
        using var ecdsa = signer.GetECDsaPublicKey();
        return ecdsa is not null && algorithm.StartsWith("1.2.840.10045.", StringComparison.Ordinal)
            && ecdsa.VerifyData(signed, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>The PKCS#1 v1.5 RSA and the ECDSA signature algorithms (RFC 4055, RFC 5758).</summary>
    private static HashAlgorithmName? SignatureHash(string algorithm) => algorithm switch
    {
        "1.2.840.113549.1.1.5" or "1.2.840.10045.4.1" => HashAlgorithmName.SHA1,
        "1.2.840.113549.1.1.11" or "1.2.840.10045.4.3.2" => HashAlgorithmName.SHA256,
        "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
        "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
        _ => null,
    };

    private static X509Certificate2[] ReadCertificates(AsnReader certs)
    {
        var certificates = new List<X509Certificate2>();
        while (certs.HasData) certificates.Add(X509CertificateLoader.LoadCertificate(certs.ReadEncodedValue().Span));
        return [.. certificates];
    }
}
