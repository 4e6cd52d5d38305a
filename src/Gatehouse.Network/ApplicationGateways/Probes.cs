namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// A custom health probe. <see cref="Host"/> is sent as Host header and SNI; <see cref="Port"/> <c>null</c> means the
/// backend settings' port (appgw-behaviour §5.9).
/// </summary>
public sealed record Probe(
    string Id,
    string Name,
    ListenerProtocol Protocol,
    string? Host,
    string Path,
    int IntervalSeconds,
    int TimeoutSeconds,
    int UnhealthyThreshold,
    bool PickHostNameFromBackendHttpSettings,
    int MinServers,
    ProbeMatch Match,
    int? Port);

/// <summary>
/// What a healthy answer looks like: a status in one of <see cref="StatusCodes"/> (<c>200</c> or ranges such as
/// <c>200-399</c>) and, when <see cref="Body"/> is set, a body that contains it.
/// </summary>
public sealed record ProbeMatch(string? Body, IReadOnlyList<string> StatusCodes)
{
    public static readonly IReadOnlyList<string> DefaultStatusCodes = ["200-399"];
}
