using System.Text.Json.Serialization;

namespace Gatehouse.Gateway.Observability;

/// <summary>
/// One line of the firewall log, with Azure's ApplicationGatewayFirewallLog field names: one per rule that matched
/// (managed or custom) and one for the decision. <c>transactionId</c> is the access log's for the same request.
/// </summary>
public sealed record FirewallLogEntry(DateTimeOffset TimeStamp, string ResourceId, FirewallLogProperties Properties)
{
    public string OperationName => "ApplicationGatewayFirewall";

    public string Category => "ApplicationGatewayFirewallLog";
}

/// <summary>The <c>properties</c> of a firewall log line.</summary>
public sealed record FirewallLogProperties
{
    public required string InstanceId { get; init; }
    public required string ClientIp { get; init; }
    public required string RequestUri { get; init; }
    /// <summary><c>OWASP_CRS</c>/<c>Microsoft_DefaultRuleSet</c> for managed rules, <c>Custom</c> for custom rules.</summary>
    public required string RuleSetType { get; init; }
    public required string RuleSetVersion { get; init; }
    /// <summary>The managed rule's id, or the custom rule's name.</summary>
    public required string RuleId { get; init; }
    public required string Message { get; init; }
    /// <summary>Matched, Blocked, Detected, Allowed (or Log for a custom Log rule).</summary>
    public required string Action { get; init; }
    public string Site => "Global";
    public required FirewallLogDetails Details { get; init; }
    public required string Hostname { get; init; }
    public required string TransactionId { get; init; }
    public required string PolicyId { get; init; }
    /// <summary>Global (the gateway), Listener or Location (a path rule), with <see cref="PolicyScopeName"/> naming it.</summary>
    public required string PolicyScope { get; init; }
    public required string PolicyScopeName { get; init; }
}

public sealed record FirewallLogDetails(string Message, string Data, string File, string Line);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FirewallLogEntry))]
internal sealed partial class FirewallLogJson : JsonSerializerContext;
