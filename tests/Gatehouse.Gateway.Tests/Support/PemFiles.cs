using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Gateway.Tests.Support;

/// <summary>Certificates and keys written where curl and openssl can read them, for the life of a fixture only.</summary>
public sealed class PemFiles : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gatehouse-gateway-tests-").FullName;

    public PemFiles()
    {
        ServerCa = Write("server-ca.pem", TestCertificates.ServerCa.ExportCertificatePem());
    }

    public string ServerCa { get; }

    /// <summary>Paths of the certificate and its private key.</summary>
    public (string Certificate, string Key) Client(X509Certificate2 certificate, string name)
    {
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()!;
        return (Write($"{name}.pem", certificate.ExportCertificatePem()), Write($"{name}.key", key.ExportPkcs8PrivateKeyPem()));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Writes a file beside the certificates (an openssl index, say) and returns its path.</summary>
    /// <summary>Where a file of that name lives in this directory.</summary>
    public string Path(string name) => System.IO.Path.Combine(_directory, name);

    public string Write(string name, string text)
    {
        var path = Path(name);
        File.WriteAllText(path, text);
        return path;
    }
}
