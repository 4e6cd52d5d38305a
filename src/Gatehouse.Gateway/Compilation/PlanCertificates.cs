using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Gateway.Compilation;

/// <summary>
/// Every certificate a plan loaded: listener PFXs with their private keys (and the copies their TLS contexts keep),
/// trusted client CAs, backend trusted roots. The plan disposes them when it is retired and no connection or request
/// uses it any more; the compiler does when compilation fails, so that nothing waits for a finalizer.
/// </summary>
internal sealed class PlanCertificates : IDisposable
{
    private readonly List<X509Certificate2> _certificates = [];

    public X509Certificate2Collection Own(X509Certificate2Collection certificates)
    {
        _certificates.AddRange(certificates);
        return certificates;
    }

    /// <summary>Disposing a certificate twice does nothing, so a context's copy may be owned beside the original.</summary>
    public void Dispose()
    {
        foreach (var certificate in _certificates) certificate.Dispose();
        _certificates.Clear();
    }
}
