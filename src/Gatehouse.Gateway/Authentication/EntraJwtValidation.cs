using Gatehouse.Network.ApplicationGateways;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Gateway.Authentication;

/// <summary>
/// An entraJWTValidationConfig compiled once per plan: the validation parameters (audiences, the tenant's metadata, the
/// issuer and tenant rule) are built here, so a request only has its token checked. Signature (RS256 only, so
/// <c>alg: none</c> never passes), issuer, <c>tid</c>, audience and lifetime are checked by Microsoft's own handler.
/// </summary>
internal sealed class EntraJwtValidation
{
    /// <summary>What the backend receives on success: <c>tenantId:oid</c>. Only the gateway sets it.</summary>
    public const string IdentityHeader = "x-msft-entra-identity";

    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private const string BearerPrefix = "Bearer ";

    private static readonly JsonWebTokenHandler Handler = new();

    private readonly TokenValidationParameters _parameters;

    public EntraJwtValidation(EntraJwtValidationConfig config, EntraAuthority authority)
    {
        Name = config.Name;
        Deny = config.UnAuthorizedRequestAction == UnAuthorizedRequestAction.Deny;
        var tenant = config.TenantId!;
        _parameters = new TokenValidationParameters
        {
            ConfigurationManager = authority.Metadata(tenant),
            ValidAudiences = config.ValidAudiences,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = ClockSkew,
            IssuerValidatorUsingConfiguration = (issuer, token, _, configuration) => ValidIssuer(issuer, token, tenant, configuration.Issuer),
        };
    }

    public string Name { get; }

    /// <summary>Whether a request without a valid token is answered 401 (else forwarded without identity).</summary>
    public bool Deny { get; }

    /// <summary>Checks the request's bearer token; never throws for what the client sent.</summary>
    public async ValueTask<EntraJwtOutcome> ValidateAsync(StringValues authorization)
    {
        if (authorization.Count == 0) return EntraJwtOutcome.Missing;
        var header = authorization.Count == 1 ? authorization[0]! : "";
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)) return EntraJwtOutcome.Malformed;
        var result = await Handler.ValidateTokenAsync(header[BearerPrefix.Length..].Trim(), _parameters);
        if (!result.IsValid) return EntraJwtOutcome.Invalid(result.Exception);
        var token = (JsonWebToken)result.SecurityToken;
        return token.TryGetPayloadValue<string>("oid", out var oid) && !string.IsNullOrEmpty(oid)
            ? EntraJwtOutcome.Valid($"{token.GetPayloadValue<string>("tid")}:{oid}")
            : EntraJwtOutcome.Invalid(null);
    }

    /// <summary>
    /// Entra ID's rule for v2 tokens: <c>iss</c> is the metadata's issuer with <c>{tenantid}</c> replaced by the token's
    /// <c>tid</c>; a single-tenant configuration takes its own tenant only, <c>organizations</c> every tenant but Microsoft
    /// accounts', <c>consumers</c> Microsoft accounts' only, <c>common</c> any.
    /// </summary>
    private static string ValidIssuer(string issuer, SecurityToken token, string tenant, string metadataIssuer)
    {
        if (token is not JsonWebToken jwt || !jwt.TryGetPayloadValue<string>("tid", out var tid) || !Guid.TryParse(tid, out _))
            throw new SecurityTokenInvalidIssuerException("The token names no tenant (tid).");
        var admitted = tenant.ToLowerInvariant() switch
        {
            "common" => true,
            "organizations" => !string.Equals(tid, EntraTenants.ConsumersTenantId, StringComparison.OrdinalIgnoreCase),
            "consumers" => string.Equals(tid, EntraTenants.ConsumersTenantId, StringComparison.OrdinalIgnoreCase),
            _ => string.Equals(tid, tenant, StringComparison.OrdinalIgnoreCase),
        };
        if (!admitted) throw new SecurityTokenInvalidIssuerException($"The token's tenant {tid} is not admitted.");
        var expected = metadataIssuer.Replace("{tenantid}", tid, StringComparison.OrdinalIgnoreCase);
        if (!string.Equals(issuer, expected, StringComparison.Ordinal))
            throw new SecurityTokenInvalidIssuerException("The token's issuer is not its tenant's.");
        return issuer;
    }
}

/// <summary>What a request's token came to: the identity to forward, or why there is none (for the access log).</summary>
internal sealed record EntraJwtOutcome(string? Identity, string Status)
{
    public static readonly EntraJwtOutcome Missing = new(null, "MISSING");
    public static readonly EntraJwtOutcome Malformed = new(null, "INVALID:Malformed");

    public static EntraJwtOutcome Valid(string identity) => new(identity, "VALID");

    /// <summary>The library's reason, by its exception's name: <c>INVALID:Expired</c>, <c>INVALID:InvalidAudience</c>...</summary>
    public static EntraJwtOutcome Invalid(Exception? reason) => new(null, "INVALID:" + Reason(reason));

    private static string Reason(Exception? exception)
    {
        var name = exception?.GetType().Name ?? "NoObjectId";
        if (name.StartsWith("SecurityToken", StringComparison.Ordinal)) name = name["SecurityToken".Length..];
        return name.EndsWith("Exception", StringComparison.Ordinal) ? name[..^"Exception".Length] : name;
    }
}
