namespace Gatehouse.Gateway.Hosting;

/// <summary>The one reference the request path reads: swapping it is how a new plan takes effect.</summary>
internal sealed class PlanSlot
{
    private static readonly GatewayPlan Empty = new(System.Collections.Frozen.FrozenDictionary<Compilation.PortBinding, Compilation.PortPlan>.Empty);

    private volatile GatewayPlan _current = Empty;

    public GatewayPlan Current => _current;

    public void Swap(GatewayPlan plan) => _current = plan;
}
