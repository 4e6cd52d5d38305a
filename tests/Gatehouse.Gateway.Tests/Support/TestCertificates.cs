using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Gateway.Tests.Support;

/// <summary>Certificates made for the test run; nothing is read from or kept on disk.</summary>
public static class TestCertificates
{
    public const string PfxPassword = "Gatehouse1";

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public static X509Certificate2 ServerCa { get; } = CreateCa("Gatehouse Test Server CA");

    /// <summary>The listener certificate for <c>localhost</c> and <c>gateway.test</c>, as the PFX a template carries.</summary>
    public static byte[] ServerPfx { get; } = ServerPfxFor("localhost", "gateway.test");

    public static X509Certificate2 ClientCa { get; } = CreateCa("Gatehouse Test Client CA");

    public static X509Certificate2 ValidClient { get; } = CreateLeaf("valid-client", ClientCa, Now.AddDays(-1), Now.AddDays(30));

    public static X509Certificate2 ExpiredClient { get; } = CreateLeaf("expired-client", ClientCa, Now.AddDays(-30), Now.AddDays(-1));

    public static X509Certificate2 SelfSignedClient { get; } = CreateSelfSignedLeaf("self-signed-client");

    private static X509Certificate2 CreateCa(string commonName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}, O=Gatehouse Tests, C=US", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Longer than any leaf: an issuer must outlive what it signs.
        return request.CreateSelfSigned(Now.AddDays(-365), Now.AddYears(5));
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
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.Create(ServerCa, Now.AddDays(-1), Now.AddDays(30), RandomSerial());
        using var withKey = certificate.CopyWithPrivateKey(key);
        return withKey.Export(X509ContentType.Pfx, PfxPassword);
    }

    private static X509Certificate2 CreateLeaf(string commonName, X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = ClientRequest(commonName, key);
        using var certificate = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForRSA(issuer.GetRSAPrivateKey()!, RSASignaturePadding.Pkcs1),
            notBefore, notAfter, RandomSerial());
        return certificate.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 CreateSelfSignedLeaf(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ClientRequest(commonName, key).CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
    }

    private static CertificateRequest ClientRequest(string commonName, ECDsa key)
    {
        var request = new CertificateRequest($"CN={commonName}, OU=Clients, O=Gatehouse Tests, C=US", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
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
