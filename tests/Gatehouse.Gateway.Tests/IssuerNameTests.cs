using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Gateway.Tls;
using Gatehouse.Network.ApplicationGateways;
using static Gatehouse.Gateway.Tests.Support.TestCertificates;

namespace Gatehouse.Gateway.Tests;

/// <summary>verifyClientCertIssuerDN (appgw-behaviour §1.4): which DN is extracted from an uploaded file, and what it admits.</summary>
public sealed class IssuerNameTests
{
    private static readonly X509Certificate2 Root = CreateCa("Issuer Root");
    private static readonly X509Certificate2 Dev = CreateCa("Issuer DEV", Root);
    private static readonly X509Certificate2 Tst = CreateCa("Issuer TST", Root);
    private static readonly X509Certificate2 DevTeam = CreateCa("Issuer DEV Team", Dev);

    [Fact]
    public void Root_and_intermediate_give_the_intermediate_and_a_leaf_in_the_file_is_ignored()
    {
        using var leaf = CreateClient("in-the-file", Dev);

        Assert.Equal(Dev.Subject, Extracted(leaf, Dev, Root));
    }

    [Fact]
    public void Two_intermediates_in_one_chain_give_the_one_closest_to_the_leaf()
    {
        Assert.Equal(DevTeam.Subject, Extracted(Root, Dev, DevTeam));
    }

    [Fact]
    public void A_root_alone_gives_the_root()
    {
        Assert.Equal(Root.Subject, Extracted(Root));
    }

    [Fact]
    public void Chains_of_equal_length_give_the_first_chains_intermediate()
    {
        Assert.Equal(Tst.Subject, Extracted(Tst, Dev, Root));
    }

    [Fact]
    public void Chains_of_different_lengths_give_the_lowest_intermediate_of_the_longest()
    {
        Assert.Equal(DevTeam.Subject, Extracted(Tst, Root, Dev, DevTeam));
    }

    [Fact]
    public async Task With_the_check_on_only_certificates_the_extracted_CA_issued_pass()
    {
        var file = Dev.ExportCertificatePem() + "\n" + Root.ExportCertificatePem();
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.Strict(file), TestGateways.Environment(port)));
        using var fromDev = CreateClient("from-dev", Dev);
        using var fromRoot = CreateClient("from-root", Root);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, fromDev));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(gateway, fromRoot));
    }

    [Fact]
    public async Task The_issuer_DN_matches_as_an_X500_name_not_as_bytes()
    {
        // Two encodings of one CA under the same key: the uploaded one spells its name as a PrintableString, the one
        // that signs the client as a UTF8String in other case and spacing. Chain building treats them as one CA.
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var printable = new X500DistinguishedNameBuilder();
        printable.Add("2.5.4.3", "Issuer Encoded CA", System.Formats.Asn1.UniversalTagNumber.PrintableString);
        var utf8 = new X500DistinguishedNameBuilder();
        utf8.AddCommonName("ISSUER   encoded  CA");
        using var uploaded = SelfSignedCa(printable.Build(), key);
        using var signing = SelfSignedCa(utf8.Build(), key);
        using var client = CreateClient("from-the-other-encoding", signing);
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.Strict(uploaded.ExportCertificatePem()), TestGateways.Environment(port)));

        Assert.NotEqual(uploaded.SubjectName.RawData, client.IssuerName.RawData);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, client));
    }

    private static X509Certificate2 SelfSignedCa(X500DistinguishedName name, System.Security.Cryptography.RSA key)
    {
        var request = new CertificateRequest(name, key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddYears(2));
    }

    [Fact]
    public async Task With_the_check_off_any_certificate_chaining_to_the_file_passes()
    {
        var file = Dev.ExportCertificatePem() + "\n" + Root.ExportCertificatePem();
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.Strict(file, verifyIssuerDN: false), TestGateways.Environment(port)));
        using var fromRoot = CreateClient("from-root", Root);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, fromRoot));
    }

    private static string Extracted(params X509Certificate2[] file)
    {
        var pem = string.Join("\n", file.Select(c => c.ExportCertificatePem()));
        return TrustedClientCertificateData.IssuerName(TrustedClientCertificateData.LoadAuthorities("file", pem)).Name;
    }

    private static async Task<HttpStatusCode> StatusAsync(RunningGateway gateway, X509Certificate2 certificate)
    {
        using var client = gateway.Client(certificate);
        using var response = await client.GetAsync("/");
        return response.StatusCode;
    }
}
