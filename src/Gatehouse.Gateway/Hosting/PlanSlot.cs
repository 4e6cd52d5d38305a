using System.Collections.Frozen;

namespace Gatehouse.Gateway.Hosting;

/// <summary>
/// The one reference the request path reads: swapping it is how a new plan takes effect. The plan and the runtime
/// state of its clusters are swapped together, so a request never pairs a plan with another plan's state.
/// A retired plan is disposed once nothing uses it: each request holds the plan it routes with, and each TLS
/// connection the plan its handshake used (its certificate and client-certificate trust) until it closes.
/// </summary>
internal sealed class PlanSlot
{
    private volatile Serving _serving = Nothing();
    private int _alive;

    public Serving Serving => _serving;

    /// <summary>Plans swapped in and not yet disposed: the one serving, and retired ones still in use.</summary>
    public int PlansAlive => Volatile.Read(ref _alive);

    /// <summary>The serving plan, held until <see cref="Serving.Release"/>; a plan retired meanwhile is not taken.</summary>
    public Serving Acquire()
    {
        while (true)
        {
            var serving = _serving;
            if (serving.TryAcquire()) return serving;
        }
    }

    /// <summary>Takes ownership of <paramref name="plan"/>; the previous plan is disposed when its last user is done.</summary>
    public void Swap(GatewayPlan plan, IReadOnlyList<ClusterState> clusters, FrozenDictionary<string, byte[]> errorPages)
    {
        Interlocked.Increment(ref _alive);
        var next = new Serving(plan, clusters, errorPages, () => Interlocked.Decrement(ref _alive));
        Interlocked.Exchange(ref _serving, next).Release();
    }

    /// <summary>Retires the serving plan for an empty one, as the host stops.</summary>
    public void Clear() => Interlocked.Exchange(ref _serving, Nothing()).Release();

    /// <summary>Holds the serving plan for a connection, until <see cref="ReleaseConnection"/> when it closes.</summary>
    public Serving AcquireForConnection(IDictionary<object, object?> connectionItems)
    {
        var serving = Acquire();
        connectionItems[typeof(Serving)] = serving;
        return serving;
    }

    private static Serving Nothing() => new(GatewayPlan.Empty(), [], FrozenDictionary<string, byte[]>.Empty, onDisposed: null);

    public static void ReleaseConnection(IDictionary<object, object?> connectionItems)
    {
        if (connectionItems.Remove(typeof(Serving), out var held)) ((Serving)held!).Release();
    }
}

/// <summary>
/// A plan, the runtime state of each of its clusters (by <see cref="Backends.ClusterPlan.Index"/>), and the bodies of
/// the custom error pages its listeners name, by URL (those that could be fetched). Counts its users: the slot while
/// it serves, and every request and connection that holds it; the last release disposes the plan.
/// </summary>
internal sealed class Serving(GatewayPlan plan, IReadOnlyList<ClusterState> clusters, FrozenDictionary<string, byte[]> errorPages, Action? onDisposed)
{
    /// <summary>The slot's own reference, until it swaps another plan in.</summary>
    private int _users = 1;

    public GatewayPlan Plan { get; } = plan;

    public IReadOnlyList<ClusterState> Clusters { get; } = clusters;

    public FrozenDictionary<string, byte[]> ErrorPages { get; } = errorPages;

    /// <summary>False once the last user released it: the plan is disposed, or about to be.</summary>
    public bool TryAcquire()
    {
        var users = Volatile.Read(ref _users);
        while (users > 0)
        {
            var seen = Interlocked.CompareExchange(ref _users, users + 1, users);
            if (seen == users) return true;
            users = seen;
        }
        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _users) != 0) return;
        Plan.Dispose();
        onDisposed?.Invoke();
    }
}
