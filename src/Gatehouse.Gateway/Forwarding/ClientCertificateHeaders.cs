using System.Collections.Frozen;
using Gatehouse.Gateway.Authentication;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Gateway.Forwarding;

/// <summary>
/// Request headers that carry client-certificate data or a validated token's identity, which only the gateway may set:
/// a client that sends them itself is forging a certificate (peers-mtls §6.1) or an identity. Removed from every incoming request on every
/// listener before rewrites read or set headers. Names compare case-insensitively with <c>_</c> equal to
/// <c>-</c>, because some backends and frameworks fold one into the other.
/// </summary>
internal sealed class ClientCertificateHeaders
{
    /// <summary>
    /// The spellings peers and clouds use; each also covers longer names (<c>X-Client-Cert-Subject</c>): nginx and
    /// Apache's <c>ssl-client-*</c> (<c>SSL_CLIENT_*</c>), HAProxy's and OpenShift's <c>X-SSL-*</c>, IIS ARR's and
    /// App Service's <c>X-ARR-ClientCert</c>, Envoy's XFCC, Traefik's, AWS ALB's and Cloudflare's.
    /// </summary>
    private static readonly string[] Prefixes =
    [
        "X-Client-Cert", "X-ClientCert", "SSL-Client-", "X-SSL-", "X-ARR-ClientCert", "X-Forwarded-Client-Cert",
        "X-Forwarded-Tls-Client-Cert", "X-Amzn-Mtls-Clientcert", "Cf-Client-Cert",
    ];

    /// <summary>RFC 9440's fields, which must be removed unconditionally, and the identity an Entra JWT validation vouches for.</summary>
    private static readonly string[] Names = ["Client-Cert", "Client-Cert-Chain", EntraJwtValidation.IdentityHeader];

    private readonly FrozenSet<string> _names;

    private ClientCertificateHeaders(IEnumerable<string> names) => _names = names.ToFrozenSet(HeaderNameComparer.Instance);

    /// <param name="rewrittenNames">The headers the listener's rewrites set from a <c>client_certificate*</c> variable.</param>
    public static ClientCertificateHeaders For(IEnumerable<string> rewrittenNames) => new([.. Names, .. rewrittenNames]);

    private bool Carries(string headerName)
    {
        if (_names.Contains(headerName)) return true;
        foreach (var prefix in Prefixes)
            if (HeaderNameComparer.StartsWith(headerName, prefix)) return true;
        return false;
    }

    /// <remarks>Runs on every request: walks the headers themselves (Kestrel's <c>Keys</c> builds a set of them) and allocates only when one is forged.</remarks>
    public void RemoveFrom(IHeaderDictionary headers)
    {
        List<string>? forged = null;
        foreach (var (name, _) in headers)
            if (Carries(name)) (forged ??= []).Add(name);
        if (forged is null) return;
        foreach (var name in forged) headers.Remove(name);
    }

    private sealed class HeaderNameComparer : IEqualityComparer<string>
    {
        public static HeaderNameComparer Instance { get; } = new();

        public static bool StartsWith(string name, string prefix)
        {
            if (name.Length < prefix.Length) return false;
            for (var i = 0; i < prefix.Length; i++)
                if (Fold(name[i]) != Fold(prefix[i])) return false;
            return true;
        }

        public bool Equals(string? x, string? y) => x is not null && y is not null && x.Length == y.Length && StartsWith(x, y);

        public int GetHashCode(string name)
        {
            var hash = new HashCode();
            foreach (var c in name) hash.Add(Fold(c));
            return hash.ToHashCode();
        }

        private static char Fold(char c) => c == '_' ? '-' : char.ToLowerInvariant(c);
    }
}
