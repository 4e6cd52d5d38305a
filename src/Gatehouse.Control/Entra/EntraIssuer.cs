using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Control.Store;
using Gatehouse.Network.ApplicationGateways;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Control.Entra;

/// <summary>
/// A Microsoft Entra ID compatible issuer for one tenant (the management API's), so that gateways validate real tokens
/// offline: applications registered with a password get v2 access tokens by client credentials for
/// <c>api://APPID/.default</c>, signed with <see cref="EntraSigningKeys"/>. Issuer, audience and claims are as Entra's
/// v2 endpoint gives them to an application (<c>idtyp</c> <c>app</c>, <c>oid</c> of its service principal).
/// </summary>
internal sealed class EntraIssuer(string tenantId, EntraSigningKeys keys, IResourceStore store, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private static readonly JsonWebTokenHandler Handler = new();

    public string TenantId => tenantId;

    public EntraSigningKeys Keys => keys;

    /// <summary>
    /// The issuer named by a tenant segment of a path: the tenant itself, or for <c>common</c> and <c>organizations</c>
    /// Entra's template with <c>{tenantid}</c>; <c>consumers</c> is the Microsoft accounts' tenant. Null for a tenant this
    /// issuer does not know.
    /// </summary>
    public string? Issuer(string authority, string tenant) => tenant.ToLowerInvariant() switch
    {
        "common" or "organizations" => $"{authority}/{{tenantid}}/v2.0",
        "consumers" => $"{authority}/{EntraTenants.ConsumersTenantId}/v2.0",
        _ when string.Equals(tenant, tenantId, StringComparison.OrdinalIgnoreCase) => $"{authority}/{tenantId}/v2.0",
        _ => null,
    };

    /// <summary>Registers an application with a new password; the password is returned once and only its hash is kept.</summary>
    public (Application Application, string Password) Register(string displayName)
    {
        var password = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(30));
        var application = new Application(Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), displayName, Hash(password));
        store.PutApplication(application);
        return (application, password);
    }

    /// <summary>The registered application with that id and password, or null.</summary>
    public Application? Authenticate(string appId, string password) =>
        store.GetApplication(appId) is { } application && CryptographicOperations.FixedTimeEquals(application.SecretHash, Hash(password))
            ? application
            : null;

    public Application? Find(string appId) => store.GetApplication(appId);

    /// <summary>A v2 access token for <paramref name="caller"/> to call <paramref name="resource"/>, issued by <paramref name="authority"/>.</summary>
    public string Issue(string authority, Application caller, Application resource)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = $"{authority}/{tenantId}/v2.0",
            Audience = resource.AppId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(Lifetime),
            SigningCredentials = new SigningCredentials(keys.Current, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["azp"] = caller.AppId,
                ["azpacr"] = "1",
                ["idtyp"] = "app",
                ["oid"] = caller.ObjectId,
                ["sub"] = caller.ObjectId,
                ["tid"] = tenantId,
                ["uti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
                ["ver"] = "2.0",
            },
        });
    }

    private static byte[] Hash(string password) => SHA256.HashData(Encoding.UTF8.GetBytes(password));
}
