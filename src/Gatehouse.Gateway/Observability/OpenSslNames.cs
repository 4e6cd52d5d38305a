using System.Collections.Frozen;
using System.Net.Security;

namespace Gatehouse.Gateway.Observability;

/// <summary>
/// Cipher suites under the names OpenSSL (and so Azure's nginx-based log) gives them: <c>TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384</c>
/// is <c>ECDHE-RSA-AES256-GCM-SHA384</c>; TLS 1.3 suites keep their IANA names. Built once for every suite .NET knows.
/// </summary>
internal static class OpenSslNames
{
    /// <summary>Keyed by the suite's number: an enum key was boxed on every lookup, once per logged request.</summary>
    private static readonly FrozenDictionary<ushort, string> Names =
        Enum.GetValues<TlsCipherSuite>().Distinct().ToFrozenDictionary(suite => (ushort)suite, suite => Convert(suite.ToString()));

    public static string Cipher(TlsCipherSuite? suite) => suite is { } known ? Names.GetValueOrDefault((ushort)known) ?? known.ToString() : "";

    private static string Convert(string iana)
    {
        var with = iana.IndexOf("_WITH_", StringComparison.Ordinal);
        if (!iana.StartsWith("TLS_", StringComparison.Ordinal) || with < 0) return iana;
        var exchange = iana[4..with] switch
        {
            "RSA" => "",
            "ECDHE_RSA" => "ECDHE-RSA-",
            "ECDHE_ECDSA" => "ECDHE-ECDSA-",
            "DHE_RSA" => "DHE-RSA-",
            _ => null,
        };
        var cipher = iana[(with + 6)..] switch
        {
            var c when c.StartsWith("CHACHA20_POLY1305", StringComparison.Ordinal) => "CHACHA20-POLY1305",
            var c when c.StartsWith("AES_128_GCM_", StringComparison.Ordinal) => "AES128-GCM-" + c[12..],
            var c when c.StartsWith("AES_256_GCM_", StringComparison.Ordinal) => "AES256-GCM-" + c[12..],
            var c when c.StartsWith("AES_128_CBC_", StringComparison.Ordinal) => "AES128-" + c[12..],
            var c when c.StartsWith("AES_256_CBC_", StringComparison.Ordinal) => "AES256-" + c[12..],
            _ => null,
        };
        return exchange is null || cipher is null ? iana : exchange + cipher;
    }
}
