using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Gateway.Tests.Support;

/// <summary>Certificates made for the test run; nothing is read from or kept on disk.</summary>
public static class TestCertificates
{
    public const string PfxPassword = "Gatehouse1";

    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    public const string OcspSigning = "1.3.6.1.5.5.7.3.9";

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public static X509Certificate2 ServerCa { get; } = CreateCa("Gatehouse Test Server CA");

    /// <summary>The listener certificate for <c>localhost</c> and <c>gateway.test</c>, as the PFX a template carries.</summary>
    public static byte[] ServerPfx { get; } = ServerPfxFor("localhost", "gateway.test");

    public static X509Certificate2 ClientCa { get; } = CreateCa("Gatehouse Test Client CA");

    public static X509Certificate2 ValidClient { get; } = CreateClient("valid-client", ClientCa);

    public static X509Certificate2 ExpiredClient { get; } = CreateClient("expired-client", ClientCa, endsInDays: -1);

    public static X509Certificate2 SelfSignedClient { get; } = CreateSelfSignedLeaf("self-signed-client");

    /// <summary>A root CA, or an intermediate when <paramref name="issuer"/> is given.</summary>
    public static X509Certificate2 CreateCa(string commonName, X509Certificate2? issuer = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}, O=Gatehouse Tests, C=US", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Longer than any leaf, shorter than its issuer: an issuer must outlive what it signs.
        if (issuer is null) return request.CreateSelfSigned(Now.AddDays(-365), Now.AddYears(5));
        using var certificate = request.Create(issuer, Now.AddDays(-300), Now.AddYears(4), RandomSerial());
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// A client certificate from <paramref name="issuer"/>, valid for 31 days up to <paramref name="endsInDays"/> from now, with
    /// one extended key usage and, when given, an OCSP responder in its AIA.
    /// </summary>
    public static X509Certificate2 CreateClient(string commonName, X509Certificate2 issuer, string keyUsage = ClientAuthentication,
        Uri? ocsp = null, int endsInDays = 30)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = ClientRequest(commonName, key, keyUsage);
        if (ocsp is not null) request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([ocsp.AbsoluteUri], null));
        var notAfter = Now.AddDays(endsInDays);
        using var certificate = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForRSA(issuer.GetRSAPrivateKey()!, RSASignaturePadding.Pkcs1),
            notAfter.AddDays(-31), notAfter, RandomSerial());
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>A listener certificate issued by <see cref="ServerCa"/>, named for its first DNS name, as a PFX.</summary>
    public static byte[] ServerPfxFor(params string[] dnsNames)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames) names.AddDnsName(name);
        // Clients that connect by address send no SNI and still check the certificate.
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication)], false));
        using var certificate = request.Create(ServerCa, Now.AddDays(-1), Now.AddDays(30), RandomSerial());
        using var withKey = certificate.CopyWithPrivateKey(key);
        return withKey.Export(X509ContentType.Pfx, PfxPassword);
    }

    private static X509Certificate2 CreateSelfSignedLeaf(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ClientRequest(commonName, key).CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
    }

    private static CertificateRequest ClientRequest(string commonName, ECDsa key, string keyUsage = ClientAuthentication)
    {
        var request = new CertificateRequest($"CN={commonName}, OU=Clients, O=Gatehouse Tests, C=US", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(keyUsage)], false));
        return request;
    }

    /// <summary>High bit set on purpose, so the DER serial carries a leading zero that the printed serial must not.</summary>
    private static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] |= 0x80;
        return [0x00, .. serial];
    }
}
