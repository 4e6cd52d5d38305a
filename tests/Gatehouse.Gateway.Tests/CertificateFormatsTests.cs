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
    public void A_name_that_is_not_DER_prints_as_hex_instead_of_failing_the_request()
    {
        // Both loaded by OpenSSL inside client certificates the fuzzer made: a SET encoded as primitive, and a
        // UTF8String holding bytes that are not UTF-8.
        var primitiveSet = new X500DistinguishedName(Convert.FromHexString("30051103616263"));
        var notUtf8 = new X500DistinguishedName(Convert.FromHexString("300E310C300A06035504030C03FFFEFD"));

        Assert.Equal("#30051103616263", CertificateFormats.Rfc2253(primitiveSet));
        Assert.Equal("CN=#0C03FFFEFD", CertificateFormats.Rfc2253(notUtf8));
    }

    [Fact]
    public void Dates_pad_the_day_with_a_space_and_serials_drop_the_sign_byte()
    {
        Assert.Equal("Sep  1 08:36:12 2026 GMT", CertificateFormats.Date(new DateTime(2026, 9, 1, 8, 36, 12, DateTimeKind.Utc)));
        Assert.Equal("80AB", CertificateFormats.Serial([0x00, 0x80, 0xAB]));
        Assert.Equal("00", CertificateFormats.Serial([0x00]));
    }
}
