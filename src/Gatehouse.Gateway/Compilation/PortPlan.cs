using System.Collections.Frozen;
using Gatehouse.Gateway.Routing;

namespace Gatehouse.Gateway.Compilation;

/// <summary>The listeners sharing one local socket, with the tables that pick one by SNI or Host.</summary>
internal sealed class PortPlan(PortBinding binding, IReadOnlyList<ListenerPlan> listeners)
{
    private readonly FrozenDictionary<string, int> _exact = BuildExact(listeners);
    private readonly (HostPattern Pattern, int Position)[] _wildcards =
        [.. listeners.SelectMany((l, i) => l.HostNames.Where(HostPattern.IsWildcard).Select(h => (new HostPattern(h), i)))];
    private readonly int _basic = IndexOfBasic(listeners);

    public PortBinding Binding { get; } = binding;

    /// <summary>In rule-priority order.</summary>
    public IReadOnlyList<ListenerPlan> Listeners { get; } = listeners;

    /// <summary>
    /// The first listener in rule-priority order that takes the host (v2 evaluates listeners by priority, so a basic
    /// or wildcard listener ahead of an exact one wins); null when none does. Tables, not a scan of every name.
    /// </summary>
    public ListenerPlan? SelectForRequest(string? host)
    {
        var best = _basic;
        if (!string.IsNullOrEmpty(host))
        {
            if (_exact.TryGetValue(host, out var exact) && exact < best) best = exact;
            foreach (var (pattern, position) in _wildcards)
            {
                // In priority order: nothing later can beat what was found.
                if (position >= best) break;
                if (pattern.Matches(host))
                {
                    best = position;
                    break;
                }
            }
        }
        return best < Listeners.Count ? Listeners[best] : null;
    }

    /// <summary>As for a request; an absent or unknown SNI gets the first listener in rule-priority order, as v2 does.</summary>
    public ListenerPlan SelectForHandshake(string? serverName) => SelectForRequest(serverName) ?? Listeners[0];

    /// <summary>Each plain host name and the position of the first listener taking it.</summary>
    private static FrozenDictionary<string, int> BuildExact(IReadOnlyList<ListenerPlan> listeners)
    {
        var exact = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < listeners.Count; i++)
            foreach (var host in listeners[i].HostNames.Where(h => !HostPattern.IsWildcard(h)))
                exact.TryAdd(host, i);
        return exact.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The position of the first basic listener, or past the end when there is none.</summary>
    private static int IndexOfBasic(IReadOnlyList<ListenerPlan> listeners)
    {
        for (var i = 0; i < listeners.Count; i++)
            if (listeners[i].HostNames.Count == 0) return i;
        return int.MaxValue;
    }
}
