using System.Text.Json.Nodes;
using Gatehouse.Control.Entra;
using Gatehouse.Control.Security;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Control.Api;

/// <summary>
/// The local Entra-compatible issuer as Entra ID's v2 endpoints lay it out: per tenant OpenID metadata, its keys and
/// a client-credentials token endpoint (no token needed, as at login.microsoftonline.com), and, for the management
/// API's own principal, registering applications (as <c>az ad app create</c> through Graph) and rotating the signing key.
/// </summary>
internal static class EntraEndpoints
{
    private const string DefaultScopeSuffix = "/.default";
    private const string AppIdUriPrefix = "api://";

    public static void MapEntraEndpoints(this IEndpointRouteBuilder app, RouteGroupBuilder withToken)
    {
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant, HttpRequest request, EntraIssuer issuer) =>
        {
            var authority = ArmResponses.BaseUrl(request);
            if (issuer.Issuer(authority, tenant) is not { } issuerName) return TenantNotFound(tenant);
            return ArmResponses.Json(new JsonObject
            {
                ["issuer"] = issuerName,
                ["token_endpoint"] = $"{authority}/{tenant}/oauth2/v2.0/token",
                ["jwks_uri"] = $"{authority}/{tenant}/discovery/v2.0/keys",
                ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post"),
                ["grant_types_supported"] = new JsonArray("client_credentials"),
                ["response_types_supported"] = new JsonArray("token"),
                ["id_token_signing_alg_values_supported"] = new JsonArray(SecurityAlgorithms.RsaSha256),
                ["tenant_region_scope"] = "local",
            });
        });

        app.MapGet("/{tenant}/discovery/v2.0/keys", (string tenant, HttpRequest request, EntraIssuer issuer) =>
            issuer.Issuer(ArmResponses.BaseUrl(request), tenant) is null
                ? TenantNotFound(tenant)
                : ArmResponses.Json(new JsonObject { ["keys"] = new JsonArray([.. issuer.Keys.All.Select(Jwk)]) }));

        app.MapPost("/{tenant}/oauth2/v2.0/token", async (string tenant, HttpRequest request, EntraIssuer issuer) =>
        {
            // An application signs in to its home tenant, which common and organizations resolve to.
            if (!string.Equals(tenant, issuer.TenantId, StringComparison.OrdinalIgnoreCase) && tenant.ToLowerInvariant() is not ("common" or "organizations"))
                return TenantNotFound(tenant);
            if (!request.HasFormContentType) return TokenEndpoints.OAuthError("invalid_request", "AADSTS900144: The token request must be form-urlencoded.", StatusCodes.Status400BadRequest);
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            if (form["grant_type"] != "client_credentials")
                return TokenEndpoints.OAuthError("unsupported_grant_type", "AADSTS70003: Only the client_credentials grant is supported.", StatusCodes.Status400BadRequest);
            if (issuer.Authenticate(form["client_id"].ToString(), form["client_secret"].ToString()) is not { } caller)
                return TokenEndpoints.OAuthError("invalid_client", "AADSTS7000215: The client id or client secret is not valid.", StatusCodes.Status401Unauthorized);
            var scope = form["scope"].ToString();
            if (!scope.EndsWith(DefaultScopeSuffix, StringComparison.Ordinal) || scope.Contains(' ', StringComparison.Ordinal))
                return TokenEndpoints.OAuthError("invalid_scope", $"AADSTS1002012: The scope '{scope}' is not valid: client credentials take one scope RESOURCE/.default.", StatusCodes.Status400BadRequest);
            var resourceName = scope[..^DefaultScopeSuffix.Length];
            var appId = resourceName.StartsWith(AppIdUriPrefix, StringComparison.OrdinalIgnoreCase) ? resourceName[AppIdUriPrefix.Length..] : resourceName;
            if (issuer.Find(appId) is not { } resource)
                return TokenEndpoints.OAuthError("invalid_resource",
                    $"AADSTS500011: The resource principal named {resourceName} was not found in the tenant named {issuer.TenantId}.", StatusCodes.Status400BadRequest);
            return ArmResponses.Json(new JsonObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = (int)EntraIssuer.Lifetime.TotalSeconds,
                ["ext_expires_in"] = (int)EntraIssuer.Lifetime.TotalSeconds,
                ["access_token"] = issuer.Issue(ArmResponses.BaseUrl(request), caller, resource),
            });
        }).RequireRateLimiting(SignInRateLimit.PolicyName);

        withToken.MapPost("/v1.0/applications", async (HttpRequest request, EntraIssuer issuer) =>
        {
            var body = await ArmResponses.ReadJsonObjectAsync(request);
            if ((string?)body["displayName"] is not { Length: > 0 } displayName)
                return ArmResponses.Error("Request_BadRequest", "Property 'displayName' is required to register an application.");
            var (application, password) = issuer.Register(displayName);
            return ArmResponses.Json(new JsonObject
            {
                ["id"] = application.ObjectId,
                ["appId"] = application.AppId,
                ["displayName"] = application.DisplayName,
                ["passwordCredentials"] = new JsonArray(new JsonObject { ["secretText"] = password }),
            }, StatusCodes.Status201Created);
        });

        withToken.MapPost("/{tenant}/discovery/v2.0/keys/rotate", (string tenant, EntraIssuer issuer) =>
            string.Equals(tenant, issuer.TenantId, StringComparison.OrdinalIgnoreCase)
                ? ArmResponses.Json(new JsonObject
                {
                    ["kid"] = issuer.Keys.Rotate(),
                    ["published"] = new JsonArray([.. issuer.Keys.All.Select(k => (JsonNode)k.KeyId)]),
                })
                : TenantNotFound(tenant));
    }

    private static JsonObject Jwk(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    private static IResult TenantNotFound(string tenant) => TokenEndpoints.OAuthError("invalid_tenant",
        $"AADSTS90002: Tenant '{tenant}' not found. This issuer serves its own tenant, common, organizations and consumers.", StatusCodes.Status400BadRequest);
}
