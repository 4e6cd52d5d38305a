using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gatehouse.Gateway.Tls;

/// <summary>
/// A distinguished name as X.500 name matching compares it (RFC 5280 §7.1 with RFC 4518's common cases): RDN by
/// RDN, attribute type, and the value with its case folded and runs of white space collapsed, whatever string type
/// encodes it. Two names that differ only in encoding or case are the same issuer, as OpenSSL's chain building
/// already treats them.
/// </summary>
internal static class CanonicalName
{
    public static string Of(X500DistinguishedName name)
    {
        var canonical = new StringBuilder();
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            // A multi-valued RDN is rare enough to compare by its bytes.
            var value = rdn.HasMultipleElements ? null : rdn.GetSingleElementValue();
            canonical.Append(rdn.HasMultipleElements ? "+" : rdn.GetSingleElementType().Value).Append('=')
                .Append(value is null ? Convert.ToHexString(rdn.RawData.Span) : Fold(value)).Append('\0');
        }
        return canonical.ToString();
    }

    private static string Fold(string value) =>
        string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
}
