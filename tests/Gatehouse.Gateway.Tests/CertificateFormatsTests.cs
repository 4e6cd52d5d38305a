using System.Security.Cryptography.X509Certificates;
using Gatehouse.Gateway.Tls;

namespace Gatehouse.Gateway.Tests;

/// <summary>The nginx/OpenSSL spellings of certificate fields, on inputs the test certificates do not cover.</summary>
public sealed class CertificateFormatsTests
{
    [Fact]
    public void Distinguished_names_print_like_OpenSSL_RFC2253()
    {
        // .NET writes names most specific first, as RFC 2253 does, and encodes C first.
        var name = new X500DistinguishedName("CN=\"#leaf+;\", O=\"Contoso, Ltd\", C=US");

        Assert.Equal(@"CN=\#leaf\+\;,O=Contoso\, Ltd,C=US", CertificateFormats.Rfc2253(name));
    }

    [Fact]
    public void Non_ASCII_characters_print_as_escaped_UTF8_bytes()
    {
        var name = new X500DistinguishedName("CN=Zoë");

        Assert.Equal(@"CN=Zo\C3\AB", CertificateFormats.Rfc2253(name));
    }

    [Fact]
    public void Dates_pad_the_day_with_a_space_and_serials_drop_the_sign_byte()
    {
        Assert.Equal("Sep  1 08:36:12 2026 GMT", CertificateFormats.Date(new DateTime(2026, 9, 1, 8, 36, 12, DateTimeKind.Utc)));
        Assert.Equal("80AB", CertificateFormats.Serial([0x00, 0x80, 0xAB]));
        Assert.Equal("00", CertificateFormats.Serial([0x00]));
    }
}
