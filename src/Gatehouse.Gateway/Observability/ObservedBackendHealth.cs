using System.Collections.Concurrent;
using Gatehouse.Gateway.Backends;

namespace Gatehouse.Gateway.Observability;

public enum BackendHealthState { Healthy, Unhealthy }

/// <summary>A pool member as the gateway last saw it, and since when it has been so.</summary>
public sealed record ObservedServerHealth(
    string GatewayId,
    string BackendPoolName,
    string BackendSettingName,
    string Server,
    BackendHealthState Health,
    DateTimeOffset Since);

/// <summary>
/// Backend health as observed from forwarded requests: a member that answered is healthy, one that could not be
/// reached, timed out or dropped the connection is unhealthy. Members no request has reached yet are not listed.
/// Health probes, when they exist, are the better source and should feed the same table.
/// </summary>
internal sealed class ObservedBackendHealth
{
    private readonly ConcurrentDictionary<(ListenerLabels Labels, BackendMember Member), ObservedServerHealth> _servers = new();

    /// <summary>Writes only when a member changes state, so that steady traffic costs one lookup.</summary>
    public void Observe(ListenerLabels labels, BackendMember member, BackendHealthState health)
    {
        var key = (labels, member);
        if (_servers.TryGetValue(key, out var known) && known.Health == health) return;
        _servers[key] = new ObservedServerHealth(labels.GatewayId, labels.BackendPoolName, labels.BackendSettingName, member.Server,
            health, DateTimeOffset.UtcNow);
    }

    /// <summary>One entry per gateway, pool and member; the most recent wins where several rules share a pool.</summary>
    public IReadOnlyList<ObservedServerHealth> Snapshot() =>
    [
        .. _servers.Values
            .GroupBy(s => (s.GatewayId.ToUpperInvariant(), s.BackendPoolName, s.Server))
            .Select(g => g.MaxBy(s => s.Since)!)
            .OrderBy(s => s.GatewayId, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.BackendPoolName).ThenBy(s => s.Server),
    ];
}
