using System.Text.Json.Serialization;

namespace Gatehouse.Gateway.Observability;

/// <summary>
/// One line of the access log, with Azure's ApplicationGatewayAccessLog (v2) field names and meanings
/// (appgw-behaviour §8.1). Holds no certificate body and nothing secret: only the fingerprint and issuer.
/// </summary>
public sealed record AccessLogEntry(
    DateTimeOffset TimeStamp,
    string ResourceId,
    string ListenerName,
    string RuleName,
    string BackendPoolName,
    string BackendSettingName,
    AccessLogProperties Properties)
{
    public string OperationName => "ApplicationGatewayAccess";

    public string Category => "ApplicationGatewayAccessLog";
}

/// <summary>The <c>properties</c> of an access log line; times in seconds, as Azure writes them.</summary>
public sealed record AccessLogProperties
{
    public required string InstanceId { get; init; }
    public required string ClientIP { get; init; }
    public required int ClientPort { get; init; }
    public required string HttpMethod { get; init; }
    /// <summary>Path and query as the client sent them, before any rewrite.</summary>
    public required string OriginalRequestUriWithArgs { get; init; }
    /// <summary>The path the backend was asked for, without the query.</summary>
    public required string RequestUri { get; init; }
    public required string RequestQuery { get; init; }
    public required string UserAgent { get; init; }
    public required int HttpStatus { get; init; }
    public required string HttpVersion { get; init; }
    /// <summary>Body bytes by Content-Length (headers are not counted).</summary>
    public required long ReceivedBytes { get; init; }
    /// <summary>Body bytes by Content-Length (headers are not counted).</summary>
    public required long SentBytes { get; init; }
    public required double TimeTaken { get; init; }
    public required string TransactionId { get; init; }
    /// <summary><c>on</c> or <c>off</c>.</summary>
    public required string SslEnabled { get; init; }
    /// <summary>OpenSSL's name, e.g. <c>ECDHE-RSA-AES256-GCM-SHA384</c>.</summary>
    public required string SslCipher { get; init; }
    public required string SslProtocol { get; init; }
    /// <summary><c>NONE</c>, <c>PASSTHROUGH</c>, <c>SUCCESS</c> or <c>FAILED:reason</c>.</summary>
    public required string SslClientVerify { get; init; }
    /// <summary>SHA-1 of the client certificate, lowercase hex; empty when none came.</summary>
    public required string SslClientCertificateFingerprint { get; init; }
    public required string SslClientCertificateIssuerName { get; init; }
    /// <summary><c>address:port</c> of the pool member; empty when no member was asked.</summary>
    public required string ServerRouted { get; init; }
    /// <summary>The pool member's status code; empty when it gave none.</summary>
    public required string ServerStatus { get; init; }
    public required string ServerResponseLatency { get; init; }
    public required string OriginalHost { get; init; }
    /// <summary>The Host sent to the backend.</summary>
    public required string Host { get; init; }
    /// <summary>
    /// On a rule with Entra JWT validation: <c>VALID</c>, <c>MISSING</c> or <c>INVALID:reason</c> (<c>Expired</c>,
    /// <c>InvalidAudience</c>, <c>InvalidSignature</c>...); empty on other rules.
    /// </summary>
    public required string EntraJwtValidation { get; init; }
    [JsonPropertyName("error_info")]
    public required string ErrorInfo { get; init; }
    public required string ContentType { get; init; }
}

/// <summary>Reflection-free serialization, so the writer allocates little and trimming keeps working.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AccessLogEntry))]
internal sealed partial class AccessLogJson : JsonSerializerContext;
