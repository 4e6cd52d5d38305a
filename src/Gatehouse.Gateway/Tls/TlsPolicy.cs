using System.Net.Security;
using System.Security.Authentication;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Tls;

/// <summary>A resolved TLS policy in the terms SslStream takes.</summary>
internal static class TlsPolicy
{
    public static SslProtocols Protocols(ResolvedSslPolicy policy)
    {
        var protocols = SslProtocols.None;
        foreach (var protocol in policy.Protocols)
            protocols |= Protocol(protocol);
        return protocols;
    }

    /// <summary>
    /// The policy's suites in its order of preference, without the DHE suites that v2 never negotiates
    /// even when a policy lists them (appgw-behaviour §4.3). Null on Windows, where SChannel takes no
    /// per-connection suite list; the protocols still apply there.
    /// </summary>
    public static CipherSuitesPolicy? CipherSuites(ResolvedSslPolicy policy)
    {
        if (OperatingSystem.IsWindows()) return null;
        // The names come from SslPolicies' IANA list, which refused any other when the gateway was provisioned.
        return new CipherSuitesPolicy(policy.CipherSuites
            .Where(s => !s.StartsWith("TLS_DHE_", StringComparison.OrdinalIgnoreCase))
            .Select(s => Enum.Parse<TlsCipherSuite>(s, ignoreCase: true)));
    }

    // TLS 1.0 and 1.1 are obsolete in .NET, but the 2015 and 2017 predefined policies still name them.
#pragma warning disable SYSLIB0039
    private static SslProtocols Protocol(string name) => name switch
    {
        "TLSv1_0" => SslProtocols.Tls,
        "TLSv1_1" => SslProtocols.Tls11,
        "TLSv1_2" => SslProtocols.Tls12,
        "TLSv1_3" => SslProtocols.Tls13,
        _ => SslProtocols.None,
    };
#pragma warning restore SYSLIB0039
}
