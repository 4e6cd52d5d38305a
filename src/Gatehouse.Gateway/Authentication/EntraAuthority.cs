using System.Collections.Concurrent;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gatehouse.Gateway.Authentication;

/// <summary>
/// The OpenID provider whose tokens the gateways validate: Entra ID's layout (<c>{authority}/{tenant}/v2.0</c>), at
/// login.microsoftonline.com or at the management API's built-in issuer. One metadata cache per tenant for the life of
/// the process, shared by every plan, so that a redeploy keeps the keys it has; the library refreshes them on its
/// schedule and when a token names a key it does not have (a rollover), never on the request path's own initiative.
/// </summary>
/// <param name="address">The authority; a task, because the built-in issuer's port is known only once the management API listens.</param>
/// <param name="handler">How to reach it: trusting the management API's CA for the built-in issuer, the machine's roots otherwise.</param>
public sealed class EntraAuthority(Task<Uri> address, HttpMessageHandler handler) : IDisposable
{
    /// <summary>How soon a token with an unknown key may make the metadata be fetched again, at the earliest.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new(handler) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _tenants = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The tenant's metadata and signing keys, fetched when a token first needs them.</summary>
    internal ConfigurationManager<OpenIdConnectConfiguration> Metadata(string tenant) =>
        _tenants.GetOrAdd(tenant, t => new ConfigurationManager<OpenIdConnectConfiguration>(
            $"{Uri.EscapeDataString(t)}/v2.0/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(), new Documents(address, _http))
        {
            RefreshInterval = RefreshInterval,
            // Otherwise a key the issuer retired keeps validating for an hour through the configuration it came in; a
            // failed fetch keeps the current configuration anyway.
            UseLastKnownGoodConfiguration = false,
        });

    public void Dispose() => _http.Dispose();

    /// <summary>Fetches the metadata (named relative to the authority) and the keys it points to (absolute), over HTTPS only.</summary>
    private sealed class Documents(Task<Uri> authority, HttpClient http) : IDocumentRetriever
    {
        public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
        {
            var uri = Uri.TryCreate(address, UriKind.Absolute, out var absolute)
                ? absolute
                : new Uri(AsDirectory(await authority.WaitAsync(http.Timeout, cancel)), address);
            if (uri.Scheme != Uri.UriSchemeHttps)
                throw new InvalidOperationException($"The OpenID document {uri} is not served over HTTPS.");
            using var response = await http.GetAsync(uri, cancel);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadAsStringAsync(cancel);
        }

        private static Uri AsDirectory(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
