using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.Control.Api;
using Gatehouse.Control.Deployments;
using Gatehouse.Control.Security;
using Gatehouse.Control.Store;
using Gatehouse.Errors;
using Gatehouse.Network;
using Gatehouse.Network.Vaults;

namespace Gatehouse.Control.KeyVault;

/// <summary>
/// Key Vault's secret API at <c>https://{vault}.vault.azure.net/secrets/...</c> (reached through <see cref="VaultTunnel"/>),
/// over the same store as the ARM resources <c>vaults/secrets</c>: a set is a new version of the ARM secret, and a secret a
/// template made is read here. As Key Vault, a request without a token is answered 401 with the challenge that names the
/// authority and resource to get one for; the caller (the management service principal, whose object id is its client
/// id) then needs the vault's access policy or RBAC role for the operation.
/// </summary>
internal static partial class KeyVaultEndpoints
{
    public static void MapKeyVaultEndpoints(this IEndpointRouteBuilder app)
    {
        var vault = app.MapGroup("/secrets").RequireHost("*" + KeyVaultSecrets.VaultHostSuffix).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var apiVersion = http.Request.Query["api-version"].ToString();
            if (!SupportedApiVersion().IsMatch(apiVersion)) throw new ArmException(ArmErrors.KeyVaultApiVersionInvalid(apiVersion));
            var header = http.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                // The challenge: where to get a token and for which resource. Clients check that the vault host lies under
                // the resource's domain (vault.azure.net).
                http.Response.Headers.WWWAuthenticate = $"Bearer authorization=\"{Authority(http)}\", resource=\"{TokenIssuer.KeyVaultAudience}\"";
                throw new ArmException(ArmErrors.KeyVaultTokenMissing());
            }
            if (!http.RequestServices.GetRequiredService<TokenIssuer>().IsValid(header["Bearer ".Length..].Trim(), TokenIssuer.KeyVaultAudience))
                throw new ArmException(ArmErrors.KeyVaultTokenInvalid(TokenIssuer.KeyVaultAudience));
            return await next(context);
        });

        vault.MapGet("", (HttpRequest request, IResourceStore store, Credentials credentials) =>
        {
            var (secrets, found) = Authorize(request, store, credentials, SecretPermission.List, "");
            return List(secrets.Secrets(found).Select(s => SecretBundles.Item(found, s, null)));
        });

        vault.MapGet("/{name}/versions", (string name, HttpRequest request, IResourceStore store, Credentials credentials) =>
        {
            var (secrets, found) = Authorize(request, store, credentials, SecretPermission.List, name);
            var secret = secrets.Secret(found, name) ?? throw new ArmException(ArmErrors.KeyVaultSecretMissing(name));
            return List(secret.Versions.Select(v => SecretBundles.Item(found, secret, v)));
        });

        vault.MapGet("/{name}/{version?}", (string name, string? version, HttpRequest request, IResourceStore store, Credentials credentials) =>
        {
            var (secrets, found) = Authorize(request, store, credentials, SecretPermission.Get, name);
            var secret = secrets.Secret(found, name) ?? throw new ArmException(ArmErrors.KeyVaultSecretMissing(name));
            var read = (string.IsNullOrEmpty(version) ? secret.Latest : secret.Version(version))
                ?? throw new ArmException(ArmErrors.KeyVaultSecretMissing($"{name}/{version}"));
            if (!secret.Enabled) throw new ArmException(ArmErrors.KeyVaultSecretDisabledOnGet());
            return ArmResponses.Json(SecretBundles.Bundle(found, secret, read));
        });

        vault.MapPut("/{name}", async (string name, HttpRequest request, IResourceStore store, Credentials credentials, DeploymentEngine engine) =>
        {
            if (!SecretName().IsMatch(name)) throw new ArmException(ArmErrors.KeyVaultSecretNameInvalid(name));
            var (_, found) = Authorize(request, store, credentials, SecretPermission.Set, name);
            var body = await ArmResponses.ReadJsonObjectAsync(request);
            if (body["value"]?.GetValueKind() != System.Text.Json.JsonValueKind.String) throw new ArmException(ArmErrors.KeyVaultSecretValueMissing());
            var (_, committed) = await engine.StartPutResourceAsync(new ResourceInput($"{found.Id}/secrets/{name}", KeyVaultSecrets.SecretType,
                $"{found.Name}/{name}", found.ApiVersion, SecretBundles.ArmBody(body)));
            await committed;
            var secrets = Secrets(store);
            var secret = secrets.Secret(found, name)!;
            return ArmResponses.Json(SecretBundles.Bundle(found, secret, secret.Latest!));
        });
    }

    private static KeyVaultSecrets Secrets(IResourceStore store) => new(KeyVaultSecrets.Types.SelectMany(store.ListResources));

    /// <summary>The request's vault, when the caller may do <paramref name="permission"/> with its secrets; else Key Vault's error.</summary>
    private static (KeyVaultSecrets Secrets, ProvisionedResource Vault) Authorize(HttpRequest request, IResourceStore store, Credentials credentials,
        SecretPermission permission, string secretName)
    {
        var name = KeyVaultSecrets.VaultNameOfHost(request.Host.Host) ?? throw new ArmException(ArmErrors.KeyVaultVaultNotFound(request.Host.Host));
        var secrets = Secrets(store);
        var vault = secrets.Vault(name) ?? throw new ArmException(ArmErrors.KeyVaultVaultNotFound(name));
        if (secrets.Allows(vault, credentials.ClientId, permission)) return (secrets, vault);
        var caller = $"appid={credentials.ClientId};oid={credentials.ClientId};iss={Authority(request.HttpContext)}";
        var location = vault.Body["location"]?.GetValue<string>() ?? "";
        throw new ArmException(KeyVaultSecrets.UsesRbac(vault)
            ? ArmErrors.KeyVaultRbacForbidden(caller, RbacAction(permission), $"{vault.Id.ToLowerInvariant()}/secrets/{secretName}", vault.Name, location)
            : ArmErrors.KeyVaultAccessPolicyForbidden(caller, permission.ToString().ToLowerInvariant(), vault.Name, location));
    }

    /// <summary>The local ADFS authority: this port at the address the tunnel came in on, as the management URL names it.</summary>
    private static string Authority(HttpContext http) =>
        new UriBuilder(Uri.UriSchemeHttps, http.Connection.LocalIpAddress?.ToString() ?? "127.0.0.1", http.Connection.LocalPort, "/adfs").Uri.ToString();

    private static string RbacAction(SecretPermission permission) => permission switch
    {
        SecretPermission.Get => "Microsoft.KeyVault/vaults/secrets/getSecret/action",
        SecretPermission.Set => "Microsoft.KeyVault/vaults/secrets/setSecret/action",
        _ => "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
    };

    /// <summary>Key Vault's list result, in one page.</summary>
    private static IResult List(IEnumerable<JsonObject> items) =>
        ArmResponses.Json(new JsonObject { ["value"] = new JsonArray([.. items]), ["nextLink"] = null });

    [GeneratedRegex(@"^(7\.[0-9](-preview(\.[0-9]+)?)?|2016-10-01)$")]
    private static partial Regex SupportedApiVersion();

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex SecretName();
}
