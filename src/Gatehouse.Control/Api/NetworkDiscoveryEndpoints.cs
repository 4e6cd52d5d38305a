using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Control.Api;

/// <summary>
/// The Microsoft.Network provider's application gateway discovery endpoints that az's
/// <c>network application-gateway ssl-policy list-options|predefined list|predefined show</c> and
/// <c>rewrite-rule list-server-variables|list-request-headers|list-response-headers</c> read. The TLS policies come from
/// <see cref="SslPolicies"/>; the variable and header names are Azure's documented lists, kept here because the
/// gateway's own table is internal to the data plane.
/// </summary>
internal static class NetworkDiscoveryEndpoints
{
    private const string Provider = "/providers/Microsoft.Network";
    private const string SslOptions = Provider + "/applicationGatewayAvailableSslOptions/default";

    private static readonly string[] Protocols = ["TLSv1_0", "TLSv1_1", "TLSv1_2", "TLSv1_3"];

    private static readonly string[] ServerVariables =
    [
        "add_x_forwarded_for_proxy", "client_certificate", "client_certificate_end_date", "client_certificate_fingerprint",
        "client_certificate_issuer", "client_certificate_serial", "client_certificate_start_date", "client_certificate_subject",
        "client_certificate_verification", "client_ip", "client_port", "client_tcp_rtt", "client_user", "host", "cookie_",
        "http_method", "http_status", "http_version", "query_string", "received_bytes", "request_query", "request_scheme",
        "request_uri", "sent_bytes", "server_port", "ssl_connection_protocol", "ssl_enabled", "uri_path",
    ];

    private static readonly string[] RequestHeaders =
    [
        "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization", "Cache-Control", "Connection", "Content-Length",
        "Content-Type", "Cookie", "Forwarded", "Host", "If-Match", "If-Modified-Since", "If-None-Match", "Origin", "Referer", "User-Agent",
        "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Original-Host",
    ];

    private static readonly string[] ResponseHeaders =
    [
        "Access-Control-Allow-Origin", "Cache-Control", "Content-Encoding", "Content-Length", "Content-Security-Policy", "Content-Type",
        "ETag", "Expires", "Location", "Server", "Set-Cookie", "Strict-Transport-Security", "Vary", "X-Content-Type-Options", "X-Frame-Options",
    ];

    public static void MapNetworkDiscoveryEndpoints(this RouteGroupBuilder subscription)
    {
        subscription.MapGet(Provider + "/applicationGatewayAvailableServerVariables", () => Names(ServerVariables));
        subscription.MapGet(Provider + "/applicationGatewayAvailableRequestHeaders", () => Names(RequestHeaders));
        subscription.MapGet(Provider + "/applicationGatewayAvailableResponseHeaders", () => Names(ResponseHeaders));

        subscription.MapGet(SslOptions, (string subscriptionId) =>
        {
            var policies = SslPolicies.PredefinedNames.Select(Resolve).ToList();
            return ArmResponses.Json(new JsonObject
            {
                ["id"] = SslOptionsId(subscriptionId),
                ["name"] = "default",
                ["type"] = "Microsoft.Network/ApplicationGatewayAvailableSslOptions",
                ["properties"] = new JsonObject
                {
                    ["predefinedPolicies"] = new JsonArray(policies.Select(p => (JsonNode)new JsonObject { ["id"] = PolicyId(subscriptionId, p.Name) }).ToArray()),
                    ["defaultPolicy"] = SslPolicies.DefaultPolicyName,
                    ["availableCipherSuites"] = Strings(policies.SelectMany(p => p.CipherSuites).Distinct()),
                    ["availableProtocols"] = Strings(Protocols),
                },
            });
        });

        subscription.MapGet(SslOptions + "/predefinedPolicies", (string subscriptionId) => ArmResponses.Json(new JsonObject
        {
            ["value"] = new JsonArray(SslPolicies.PredefinedNames.Select(name => (JsonNode)PolicyView(subscriptionId, Resolve(name))).ToArray()),
        }));

        subscription.MapGet(SslOptions + "/predefinedPolicies/{policyName}", (string subscriptionId, string policyName) =>
            SslPolicies.PredefinedNames.FirstOrDefault(name => name.Equals(policyName, StringComparison.OrdinalIgnoreCase)) is { } known
                ? ArmResponses.Json(PolicyView(subscriptionId, Resolve(known)))
                : throw new ArmException("ApplicationGatewaySslPolicyNameInvalid",
                    $"The SSL policy name '{policyName}' is not a predefined policy. Valid names: {string.Join(", ", SslPolicies.PredefinedNames)}."));
    }

    /// <summary>The policy's definition; Azure still lists the retired ones that SslPolicies.Resolve refuses to deploy.</summary>
    private static ResolvedSslPolicy Resolve(string name) =>
        SslPolicies.PredefinedPolicies.Single(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static JsonObject PolicyView(string subscriptionId, ResolvedSslPolicy policy) => new()
    {
        ["id"] = PolicyId(subscriptionId, policy.Name),
        ["name"] = policy.Name,
        ["properties"] = new JsonObject { ["cipherSuites"] = Strings(policy.CipherSuites), ["minProtocolVersion"] = policy.Protocols[0] },
    };

    private static string SslOptionsId(string subscriptionId) => $"/subscriptions/{subscriptionId}{SslOptions}";

    private static string PolicyId(string subscriptionId, string name) => $"{SslOptionsId(subscriptionId)}/predefinedPolicies/{name}";

    private static IResult Names(IEnumerable<string> names) => ArmResponses.Json(Strings(names));

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
