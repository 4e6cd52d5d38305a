namespace Gatehouse.Network.ApplicationGateways;

/// <summary>The specification's ApplicationGatewayLoadDistributionAlgorithm; RoundRobin when a policy names none.</summary>
public enum LoadDistributionAlgorithm { RoundRobin, LeastConnections, IpHash }

/// <summary>
/// Spreads the requests of the rules that name it over the members of its targets' pools, each member weighing its
/// target's <see cref="LoadDistributionTarget.WeightPerServer"/>, by <see cref="Algorithm"/>. It takes the place of the
/// rule's backendAddressPool; the rule's backendHttpSettings still reach every member.
/// </summary>
public sealed record LoadDistributionPolicy(string Id, string Name, LoadDistributionAlgorithm Algorithm, IReadOnlyList<LoadDistributionTarget> Targets);

/// <param name="WeightPerServer">1 to 100; every member of the pool weighs this much.</param>
public sealed record LoadDistributionTarget(string Id, string Name, int WeightPerServer, string? BackendAddressPoolId)
{
    public const int DefaultWeight = 1;
    public const int MaxWeight = 100;
}
