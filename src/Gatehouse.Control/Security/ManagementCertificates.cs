using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Network.Vaults;

namespace Gatehouse.Control.Security;

/// <summary>
/// The management API's TLS: a CA made on first start (its certificate is <c>management-ca.pem</c>, what clients trust)
/// and a server certificate it issues for 127.0.0.1, localhost and every vault's host (the Key Vault data plane answers
/// on the same port, reached through it as a proxy), re-issued when it nears expiry or lacks a name.
/// </summary>
internal static class ManagementCertificates
{
    public const string CaFileName = "management-ca.pem";
    private const string CaKeyFileName = "management-ca-key.pem";
    private const string ServerFileName = "management-server.pem";
    private const string ServerKeyFileName = "management-server-key.pem";
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    public static X509Certificate2 LoadOrCreate(string dataDirectory)
    {
        string PathOf(string name) => Path.Combine(dataDirectory, name);

        using var ca = File.Exists(PathOf(CaFileName)) && File.Exists(PathOf(CaKeyFileName))
            ? X509Certificate2.CreateFromPemFile(PathOf(CaFileName), PathOf(CaKeyFileName))
            : CreateCa(PathOf(CaFileName), PathOf(CaKeyFileName));

        if (File.Exists(PathOf(ServerFileName)) && File.Exists(PathOf(ServerKeyFileName)))
        {
            var existing = X509Certificate2.CreateFromPemFile(PathOf(ServerFileName), PathOf(ServerKeyFileName));
            if (existing.NotAfter > DateTime.Now.Add(RenewBefore) && existing.Issuer == ca.Subject && existing.MatchesHostname(KeyVaultSecrets.VaultHostName("vault")))
                return existing;
            existing.Dispose();
        }
        return CreateServer(ca, PathOf(ServerFileName), PathOf(ServerKeyFileName));
    }

    private static X509Certificate2 CreateCa(string certificatePath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Gatehouse management CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        PrivateFile.Write(keyPath, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
        PrivateFile.WriteText(certificatePath, ca.ExportCertificatePem() + "\n");
        return ca;
    }

    private static X509Certificate2 CreateServer(X509Certificate2 ca, string certificatePath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Strict verifiers (OpenSSL 3 with X509_STRICT, as newer Pythons use) require the authority key identifier.
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName("*" + KeyVaultSecrets.VaultHostSuffix);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(ca, now.AddMinutes(-5), now.AddYears(2), RandomNumberGenerator.GetBytes(16));
        PrivateFile.Write(keyPath, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
        PrivateFile.WriteText(certificatePath, issued.ExportCertificatePem() + "\n");
        return issued.CopyWithPrivateKey(key);
    }
}
