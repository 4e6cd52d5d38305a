using System.Text.Json.Nodes;
using Gatehouse.Errors;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// The data of the discovery endpoints (<c>applicationGatewayAvailableSslOptions</c>, <c>...AvailableServerVariables</c>,
/// <c>...AvailableRequestHeaders</c>, <c>...AvailableResponseHeaders</c>) in the shapes of the REST specification's examples.
/// </summary>
public static class AvailableOptions
{
    /// <summary>The server variables rewrite rules can read as <c>{var_name}</c> (appgw-behaviour §2.1, §2.2).</summary>
    public static readonly IReadOnlyList<string> ServerVariables =
    [
        "add_x_forwarded_for_proxy", "ciphers_supported", "ciphers_used", "client_ip", "client_port", "client_tcp_rtt",
        "client_user", "host", "http_method", "http_status", "http_version", "query_string", "received_bytes",
        "request_query", "request_scheme", "request_uri", "sent_bytes", "server_port", "ssl_connection_protocol",
        "ssl_enabled", "uri_path", "client_certificate", "client_certificate_end_date", "client_certificate_fingerprint",
        "client_certificate_issuer", "client_certificate_serial", "client_certificate_start_date",
        "client_certificate_subject", "client_certificate_verification",
    ];

    /// <summary>Request headers offered for rewrite conditions and actions (any other name may still be written).</summary>
    public static readonly IReadOnlyList<string> RequestHeaders =
    [
        "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Access-Control-Request-Headers",
        "Access-Control-Request-Method", "Authorization", "Cache-Control", "Connection", "Content-Length", "Content-Type",
        "Cookie", "Date", "Expect", "Forwarded", "From", "Host", "If-Match", "If-Modified-Since", "If-None-Match",
        "If-Range", "If-Unmodified-Since", "Max-Forwards", "Origin", "Pragma", "Proxy-Authorization", "Range", "Referer",
        "TE", "Upgrade", "User-Agent", "Via", "Warning", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
    ];

    /// <summary>Response headers offered for rewrite conditions and actions (any other name may still be written).</summary>
    public static readonly IReadOnlyList<string> ResponseHeaders =
    [
        "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Headers",
        "Access-Control-Allow-Methods", "Access-Control-Expose-Headers", "Access-Control-Max-Age", "Age", "Allow",
        "Alt-Svc", "Cache-Control", "Connection", "Content-Disposition", "Content-Encoding", "Content-Language",
        "Content-Length", "Content-Location", "Content-Range", "Content-Security-Policy", "Content-Type", "Date", "ETag",
        "Expires", "Last-Modified", "Link", "Location", "Pragma", "Proxy-Authenticate", "Public-Key-Pins", "Retry-After",
        "Server", "Set-Cookie", "Strict-Transport-Security", "Trailer", "Transfer-Encoding", "Upgrade", "Vary", "Via",
        "Warning", "WWW-Authenticate", "X-Content-Type-Options", "X-Frame-Options", "X-XSS-Protection",
    ];

    /// <summary>The body of <c>GET .../applicationGatewayAvailableSslOptions/default</c>.</summary>
    public static JsonObject SslOptions(string subscriptionId) => new()
    {
        ["name"] = "default",
        ["id"] = OptionsId(subscriptionId),
        ["type"] = "Microsoft.Network/ApplicationGatewayAvailableSslOptions",
        ["properties"] = new JsonObject
        {
            ["predefinedPolicies"] = Array(SslPolicies.PredefinedPolicies.Select(p => new JsonObject { ["id"] = PolicyId(subscriptionId, p.Name) })),
            ["defaultPolicy"] = SslPolicies.DefaultPolicyName,
            ["availableCipherSuites"] = Array(SslPolicies.CipherSuites),
            ["availableProtocols"] = Array(SslPolicies.Protocols),
        },
    };

    /// <summary>The body of <c>GET .../applicationGatewayAvailableSslOptions/default/predefinedPolicies</c>.</summary>
    public static JsonObject PredefinedPolicies(string subscriptionId) => new()
    {
        ["value"] = Array(SslPolicies.PredefinedPolicies.Select(p => Policy(subscriptionId, p))),
    };

    /// <summary>The body of <c>GET .../predefinedPolicies/{name}</c>; an unknown name is ARM's <c>NotFound</c>.</summary>
    public static JsonObject PredefinedPolicy(string subscriptionId, string name) =>
        SslPolicies.PredefinedPolicies.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } policy
            ? Policy(subscriptionId, policy)
            : throw new ArmException(ArmErrors.PredefinedSslPolicyNotFound(name, SslPolicies.PredefinedNames));

    private static JsonObject Policy(string subscriptionId, ResolvedSslPolicy policy) => new()
    {
        ["name"] = policy.Name,
        ["id"] = PolicyId(subscriptionId, policy.Name),
        ["properties"] = new JsonObject
        {
            ["cipherSuites"] = Array(policy.CipherSuites),
            ["minProtocolVersion"] = policy.Protocols[0],
        },
    };

    // The ids have an empty resource group, exactly as Azure writes them.
    private static string OptionsId(string subscriptionId) =>
        $"/subscriptions/{subscriptionId}/resourceGroups//providers/Microsoft.Network/ApplicationGatewayAvailableSslOptions/default";

    private static string PolicyId(string subscriptionId, string name) => $"{OptionsId(subscriptionId)}/ApplicationGatewaySslPredefinedPolicy/{name}";

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static JsonArray Array(IEnumerable<JsonObject> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
