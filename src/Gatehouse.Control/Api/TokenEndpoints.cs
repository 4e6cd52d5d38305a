using System.Text.Json.Nodes;
using Gatehouse.Control.Security;

namespace Gatehouse.Control.Api;

/// <summary>
/// The ADFS-style authority that MSAL (and so <c>az login --service-principal</c>) talks to, and the cloud metadata that
/// <c>az cloud register</c> reads. These need no token. See azure-cli.md §3.
/// </summary>
internal static class TokenEndpoints
{
    public static void MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/adfs/.well-known/openid-configuration", (HttpRequest request) =>
        {
            var authority = $"{ArmResponses.BaseUrl(request)}/adfs";
            return ArmResponses.Json(new JsonObject
            {
                ["issuer"] = authority,
                ["authorization_endpoint"] = $"{authority}/oauth2/authorize",
                ["token_endpoint"] = $"{authority}/oauth2/token",
                ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post"),
                ["grant_types_supported"] = new JsonArray("client_credentials"),
            });
        });

        app.MapPost("/adfs/oauth2/token", async (HttpRequest request, Credentials credentials, TokenIssuer tokens) =>
        {
            if (!request.HasFormContentType) return OAuthError("invalid_request", "The token request must be form-urlencoded.", StatusCodes.Status400BadRequest);
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            if (form["grant_type"] != "client_credentials")
                return OAuthError("unsupported_grant_type", "Only the client_credentials grant is supported.", StatusCodes.Status400BadRequest);
            if (form["client_id"] != credentials.ClientId || !TokenIssuer.SecretMatches(form["client_secret"].ToString(), credentials.ClientSecret))
                return OAuthError("invalid_client", "The client id or client secret is not valid.", StatusCodes.Status401Unauthorized);
            if (RequestedResources(form) is not [_, ..] resources)
                return OAuthError("invalid_request", "The token request must name the resource: 'scope' or 'resource'.", StatusCodes.Status400BadRequest);
            if (resources.FirstOrDefault(r => TokenIssuer.AudienceOf(r) is null) is { } other)
                return OAuthError("invalid_resource",
                    $"AADSTS500011: The resource principal named {other} was not found. Tokens are issued for {TokenIssuer.Audience} and {TokenIssuer.KeyVaultAudience} only.",
                    StatusCodes.Status400BadRequest);
            if (resources.Select(TokenIssuer.AudienceOf).Distinct().Count() > 1)
                return OAuthError("invalid_scope", "AADSTS28000: A token request may name one resource only.", StatusCodes.Status400BadRequest);
            return ArmResponses.Json(new JsonObject
            {
                ["access_token"] = tokens.Issue(TokenIssuer.AudienceOf(resources[0])!),
                ["token_type"] = "Bearer",
                ["expires_in"] = (int)TokenIssuer.Lifetime.TotalSeconds,
                ["ext_expires_in"] = (int)TokenIssuer.Lifetime.TotalSeconds,
            });
        }).RequireRateLimiting(SignInRateLimit.PolicyName);

        app.MapGet("/metadata/endpoints", (HttpRequest request) =>
        {
            var baseUrl = ArmResponses.BaseUrl(request);
            return ArmResponses.Json(new JsonObject
            {
                ["galleryEndpoint"] = "",
                ["graphEndpoint"] = "https://graph.gatehouse.local/",
                ["portalEndpoint"] = "",
                ["authentication"] = new JsonObject
                {
                    ["loginEndpoint"] = $"{baseUrl}/adfs",
                    ["audiences"] = new JsonArray(TokenIssuer.Audience),
                },
            });
        });
    }

    /// <summary>OpenID Connect's own scopes, which MSAL may add to any request; they name no resource.</summary>
    private static readonly string[] ReservedScopes = ["openid", "profile", "offline_access"];

    /// <summary>What the request asks a token for: its <c>resource</c>, and each of its scopes' resource.</summary>
    private static string[] RequestedResources(IFormCollection form) =>
    [
        .. form["resource"].OfType<string>(),
        .. form["scope"].OfType<string>().SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(s => !ReservedScopes.Contains(s)).Select(TokenIssuer.ResourceOfScope),
    ];

    /// <summary>OAuth's error response, as Entra ID and ADFS answer a token request they refuse.</summary>
    public static IResult OAuthError(string error, string description, int statusCode) =>
        ArmResponses.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode);
}
