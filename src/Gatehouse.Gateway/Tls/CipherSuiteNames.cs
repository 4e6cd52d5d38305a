using System.Net.Security;

namespace Gatehouse.Gateway.Tls;

/// <summary>
/// OpenSSL's names for cipher suites, which nginx (and so Azure's <c>ciphers_used</c>) reports:
/// <c>TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256</c> is <c>ECDHE-RSA-AES128-GCM-SHA256</c>; TLS 1.3 suites keep their names.
/// </summary>
internal static class CipherSuiteNames
{
    public static string OpenSsl(TlsCipherSuite suite)
    {
        var name = suite.ToString();
        var with = name.IndexOf("_WITH_", StringComparison.Ordinal);
        if (with < 0) return name;
        var exchange = name[4..with];
        var cipher = name[(with + 6)..].Replace("AES_128", "AES128").Replace("AES_256", "AES256").Replace("_CBC", "");
        // Plain RSA key exchange is implied by OpenSSL's names.
        var parts = exchange == "RSA" ? cipher : exchange + "_" + cipher;
        return parts.Replace('_', '-');
    }
}
