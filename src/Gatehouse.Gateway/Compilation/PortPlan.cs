using System.Collections.Frozen;
using Gatehouse.Gateway.Routing;

namespace Gatehouse.Gateway.Compilation;

/// <summary>The listeners sharing one local socket, with the tables that pick one by SNI or Host.</summary>
internal sealed class PortPlan(PortBinding binding, IReadOnlyList<ListenerPlan> listeners)
{
    private readonly FrozenDictionary<string, ListenerPlan> _exact = BuildExact(listeners);
    private readonly (HostPattern Pattern, ListenerPlan Listener)[] _wildcards =
        [.. listeners.SelectMany(l => l.HostNames.Where(HostPattern.IsWildcard).Select(h => (new HostPattern(h), l)))];
    private readonly ListenerPlan? _basic = listeners.FirstOrDefault(l => l.HostNames.Count == 0);

    public PortBinding Binding { get; } = binding;

    /// <summary>In rule-priority order.</summary>
    public IReadOnlyList<ListenerPlan> Listeners { get; } = listeners;

    /// <summary>Exact host name, then wildcard host names, then the basic listener; null when none takes the host.</summary>
    public ListenerPlan? SelectForRequest(string? host)
    {
        if (string.IsNullOrEmpty(host)) return _basic;
        if (_exact.TryGetValue(host, out var exact)) return exact;
        foreach (var (pattern, listener) in _wildcards)
            if (pattern.Matches(host)) return listener;
        return _basic;
    }

    /// <summary>As for a request; an absent or unknown SNI gets the first listener in rule-priority order, as v2 does.</summary>
    public ListenerPlan SelectForHandshake(string? serverName) => SelectForRequest(serverName) ?? Listeners[0];

    private static FrozenDictionary<string, ListenerPlan> BuildExact(IReadOnlyList<ListenerPlan> listeners)
    {
        var exact = new Dictionary<string, ListenerPlan>(StringComparer.OrdinalIgnoreCase);
        foreach (var listener in listeners)
            foreach (var host in listener.HostNames.Where(h => !HostPattern.IsWildcard(h)))
                exact.TryAdd(host, listener);
        return exact.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
