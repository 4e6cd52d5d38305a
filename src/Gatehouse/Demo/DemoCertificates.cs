using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Demo;

/// <summary>
/// The certificates the demo needs, made fresh each time: a demo CA, the listener's certificate for localhost
/// (as the PFX the template takes), and client certificates that Passthrough must all let through.
/// </summary>
public sealed record DemoCertificates(string Directory, string PfxPassword)
{
    public string CaPem => Path.Combine(Directory, "demo-ca.pem");
    public string ServerPfx => Path.Combine(Directory, "listener.pfx");
    public string ClientPem => Path.Combine(Directory, "client.pem");
    public string ClientKey => Path.Combine(Directory, "client.key");
    public string ExpiredClientPem => Path.Combine(Directory, "expired-client.pem");
    public string ExpiredClientKey => Path.Combine(Directory, "expired-client.key");
    public string SelfSignedClientPem => Path.Combine(Directory, "self-signed-client.pem");
    public string SelfSignedClientKey => Path.Combine(Directory, "self-signed-client.key");

    public static DemoCertificates Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var certificates = new DemoCertificates(directory, Convert.ToHexString(RandomNumberGenerator.GetBytes(12)));
        var now = DateTimeOffset.UtcNow;

        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Gatehouse Demo CA, O=Gatehouse", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-400), now.AddYears(5));
        File.WriteAllText(certificates.CaPem, ca.ExportCertificatePem() + "\n");

        using (var server = Issue(ca, "CN=localhost", now.AddDays(-1), now.AddYears(1), serverAuth: true))
            File.WriteAllBytes(certificates.ServerPfx, server.Export(X509ContentType.Pkcs12, certificates.PfxPassword));
        using (var client = Issue(ca, "CN=demo-client, O=Gatehouse Demo", now.AddDays(-1), now.AddYears(1), serverAuth: false))
            WritePem(client, certificates.ClientPem, certificates.ClientKey);
        using (var expired = Issue(ca, "CN=expired-client, O=Gatehouse Demo", now.AddDays(-300), now.AddDays(-30), serverAuth: false))
            WritePem(expired, certificates.ExpiredClientPem, certificates.ExpiredClientKey);
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=self-signed-client", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var selfSigned = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
            WritePem(selfSigned, certificates.SelfSignedClientPem, certificates.SelfSignedClientKey);
        }
        return certificates;
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, bool serverAuth)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        using var issued = request.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    private static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
