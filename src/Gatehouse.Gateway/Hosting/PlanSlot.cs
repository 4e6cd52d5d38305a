using System.Collections.Frozen;
using Gatehouse.Gateway.Compilation;

namespace Gatehouse.Gateway.Hosting;

/// <summary>
/// The one reference the request path reads: swapping it is how a new plan takes effect. The plan and the runtime
/// state of its clusters are swapped together, so a request never pairs a plan with another plan's state.
/// </summary>
internal sealed class PlanSlot
{
    private static readonly Serving Empty =
        new(new GatewayPlan(FrozenDictionary<PortBinding, PortPlan>.Empty, []), [], FrozenDictionary<string, byte[]>.Empty);

    private volatile Serving _serving = Empty;

    public Serving Serving => _serving;

    public GatewayPlan Current => _serving.Plan;

    public void Swap(Serving serving) => _serving = serving;
}

/// <summary>
/// A plan, the runtime state of each of its clusters (by <see cref="Backends.ClusterPlan.Index"/>), and the bodies of
/// the custom error pages its listeners name, by URL (those that could be fetched).
/// </summary>
internal sealed record Serving(GatewayPlan Plan, IReadOnlyList<ClusterState> Clusters, FrozenDictionary<string, byte[]> ErrorPages);
