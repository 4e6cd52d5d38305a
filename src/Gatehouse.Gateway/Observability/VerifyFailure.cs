using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Gateway.Observability;

/// <summary>Why a client certificate failed Strict, in the words OpenSSL's verifier uses (nginx's <c>FAILED:reason</c>).</summary>
internal static class VerifyFailure
{
    public const string NoResponder = "no OCSP responder for the certificate";

    /// <summary>The responder answered revoked or unknown (only a good answer admits a certificate).</summary>
    public const string NotGoodAtResponder = "certificate revoked";

    public static string Describe(X509Chain? chain, SslPolicyErrors errors)
    {
        if (!errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
            return "issuer DN does not match a trusted client certificate";
        var flags = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, status) => all | status.Status) ?? X509ChainStatusFlags.NoError;
        return flags switch
        {
            _ when flags.HasFlag(X509ChainStatusFlags.NotTimeValid) => "certificate has expired",
            _ when flags.HasFlag(X509ChainStatusFlags.NotValidForUsage) => "unsupported certificate purpose",
            _ when flags.HasFlag(X509ChainStatusFlags.NotSignatureValid) => "certificate signature failure",
            _ when flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) && chain!.ChainElements.Count == 1 => "self-signed certificate",
            _ when flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain)
                => "unable to get local issuer certificate",
            _ => "certificate verify failed",
        };
    }
}
