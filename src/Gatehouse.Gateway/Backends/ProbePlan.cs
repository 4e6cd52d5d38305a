using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Backends;

/// <summary>
/// A health probe compiled (custom, or the default one of appgw-behaviour §5.9): its timing, and what a healthy
/// answer is: a status in <see cref="Statuses"/> and, when <see cref="Body"/> is set, a body containing it. A layer-4
/// probe (<see cref="ConnectOnly"/>) only connects, with a TLS handshake to a Tls member.
/// </summary>
internal sealed record ProbePlan(TimeSpan Interval, TimeSpan Timeout, int UnhealthyThreshold, IReadOnlyList<StatusCodeRange> Statuses, string? Body)
{
    /// <summary>GET <c>/</c> every 30 s, 30 s timeout, down after 3 failures, healthy on 200-399.</summary>
    public static ProbePlan Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), 3, [new StatusCodeRange(200, 399)], null);

    /// <summary>The default probe's timing for layer-4 settings: a connection to the settings' port.</summary>
    public static ProbePlan DefaultLayer4 { get; } = Default with { ConnectOnly = true };

    public bool ConnectOnly { get; init; }

    /// <summary>The statuses as the probe setting writes them, for Azure's mismatch message.</summary>
    public string StatusText => string.Join(",", Statuses);

    public bool Accepts(int status) => Statuses.Any(r => status >= r.From && status <= r.To);
}
