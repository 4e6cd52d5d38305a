using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gatehouse.Gateway.Tls;

/// <summary>Certificate fields written the way OpenSSL prints them for nginx.</summary>
internal static class CertificateFormats
{
    private static readonly Dictionary<string, string> ShortNames = new()
    {
        ["2.5.4.3"] = "CN", ["2.5.4.4"] = "SN", ["2.5.4.5"] = "serialNumber", ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L", ["2.5.4.8"] = "ST", ["2.5.4.9"] = "street", ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU", ["2.5.4.12"] = "title", ["2.5.4.13"] = "description", ["2.5.4.15"] = "businessCategory",
        ["2.5.4.17"] = "postalCode", ["2.5.4.41"] = "name", ["2.5.4.42"] = "GN", ["2.5.4.43"] = "initials",
        ["2.5.4.44"] = "generationQualifier", ["2.5.4.46"] = "dnQualifier", ["2.5.4.65"] = "pseudonym",
        ["2.5.4.97"] = "organizationIdentifier", ["0.9.2342.19200300.100.1.1"] = "UID",
        ["0.9.2342.19200300.100.1.25"] = "DC", ["1.2.840.113549.1.9.1"] = "emailAddress",
    };

    /// <summary>
    /// nginx <c>$ssl_client_escaped_cert</c>: the PEM (64-column base64, <c>\n</c> line ends, trailing <c>\n</c>)
    /// escaped like <c>ngx_escape_uri(NGX_ESCAPE_URI_COMPONENT)</c>: all but <c>A-Z a-z 0-9 - . _ ~</c> as uppercase <c>%XX</c>.
    /// </summary>
    public static string EscapedPem(ReadOnlySpan<byte> der)
    {
        var pem = PemEncoding.WriteString("CERTIFICATE", der) + "\n";
        var escaped = new StringBuilder(pem.Length + pem.Length / 8);
        foreach (var c in pem)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~') escaped.Append(c);
            else escaped.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
        }
        return escaped.ToString();
    }

    /// <summary>
    /// OpenSSL <c>X509_NAME_print_ex(XN_FLAG_RFC2253)</c>: most specific RDN first, <c>,</c> between RDNs and
    /// <c>+</c> inside one, short attribute names, RFC 2253 escapes, control and non-ASCII bytes as <c>\XX</c>,
    /// non-string values as <c>#</c> and the DER in hex. A client chooses its certificate, and OpenSSL loads names that
    /// are not DER: a value that does not decode as its string type prints as <c>#</c> and hex, and a name that does
    /// not decode at all as <c>#</c> and the hex of the whole name, never an exception on the request path.
    /// </summary>
    public static string Rfc2253(X500DistinguishedName name)
    {
        try
        {
            return Rdns(name.RawData);
        }
        catch (AsnContentException)
        {
            return "#" + Convert.ToHexString(name.RawData);
        }
    }

    private static string Rdns(byte[] name)
    {
        var rdns = new List<string>();
        var sequence = new AsnReader(name, AsnEncodingRules.DER).ReadSequence();
        while (sequence.HasData)
        {
            var set = sequence.ReadSetOf();
            var attributes = new List<string>();
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                attributes.Add($"{ShortNames.GetValueOrDefault(oid, oid)}={AttributeValue(attribute)}");
            }
            rdns.Add(string.Join('+', attributes));
        }
        rdns.Reverse();
        return string.Join(',', rdns);
    }

    /// <summary>OpenSSL <c>i2a_ASN1_INTEGER</c>: the serial's magnitude as uppercase hex, two digits a byte.</summary>
    public static string Serial(ReadOnlySpan<byte> bigEndian)
    {
        var start = 0;
        while (start < bigEndian.Length - 1 && bigEndian[start] == 0) start++;
        return Convert.ToHexString(bigEndian[start..]);
    }

    /// <summary>OpenSSL <c>ASN1_TIME_print</c>: <c>Sep  1 08:36:12 2026 GMT</c> (day padded with a space).</summary>
    public static string Date(DateTime value)
    {
        var utc = value.ToUniversalTime();
        var invariant = CultureInfo.InvariantCulture;
        return $"{utc.ToString("MMM", invariant)} {utc.Day,2} {utc.ToString("HH:mm:ss yyyy", invariant)} GMT";
    }

    private static string AttributeValue(AsnReader attribute)
    {
        var tag = attribute.PeekTag();
        var encoded = attribute.ReadEncodedValue();
        if (tag.TagClass == TagClass.Universal && IsCharacterString((UniversalTagNumber)tag.TagValue))
        {
            try
            {
                return Escape(new AsnReader(encoded, AsnEncodingRules.DER).ReadCharacterString((UniversalTagNumber)tag.TagValue));
            }
            catch (AsnContentException)
            {
                // Not valid in its string type (a UTF8String that is not UTF-8, say): shown as the bytes it is.
            }
        }
        return "#" + Convert.ToHexString(encoded.Span);
    }

    private static bool IsCharacterString(UniversalTagNumber tag) => tag is UniversalTagNumber.UTF8String
        or UniversalTagNumber.PrintableString or UniversalTagNumber.IA5String or UniversalTagNumber.T61String
        or UniversalTagNumber.BMPString or UniversalTagNumber.UniversalString or UniversalTagNumber.NumericString
        or UniversalTagNumber.VisibleString;

    private static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';'
                || (i == 0 && c is '#' or ' ') || (i == value.Length - 1 && c == ' '))
            {
                escaped.Append('\\').Append(c);
            }
            else if (c < 0x20 || c > 0x7E)
            {
                var rune = Rune.GetRuneAt(value, i);
                var length = rune.EncodeToUtf8(utf8);
                foreach (var b in utf8[..length]) escaped.Append('\\').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                i += rune.Utf16SequenceLength - 1;
            }
            else
            {
                escaped.Append(c);
            }
        }
        return escaped.ToString();
    }
}
