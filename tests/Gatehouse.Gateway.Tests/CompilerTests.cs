using Gatehouse.Arm;
using Gatehouse.Errors;
using Gatehouse.Gateway.Tests.Support;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Tests;

/// <summary>
/// What cannot be served here is refused at compile time, with the sub-resource that is wrong as the target. Rules that
/// depend on a gateway alone (references among them) are the Network provider's, tested in Gatehouse.Network.Tests.
/// </summary>
public sealed class CompilerTests
{
    private static readonly GatewayEnvironment Environment = TestGateways.Environment(8080);

    [Fact]
    public void Two_gateways_taking_every_host_on_one_port_conflict()
    {
        var first = TestGateways.Passthrough();
        var second = first with { Id = first.Id.Replace("mtlsAppGw", "otherAppGw") };
        var fixedPort = Environment with { PortMap = new Dictionary<int, int> { [TestGateways.FrontendPort] = 8444 } };

        var error = Assert.Throws<ArmException>(() => GatewayCompiler.Compile([first, second], fixedPort));

        Assert.Equal("GatewayListenerHostConflict", error.Error.Code);
    }

    [Fact]
    public void Http_and_Https_listeners_cannot_share_a_local_port()
    {
        var template = TestGateways.Passthrough();
        var http = template with
        {
            Id = template.Id.Replace("mtlsAppGw", "plainAppGw"),
            HttpListeners = [template.HttpListeners[0] with { Protocol = ListenerProtocol.Http, SslCertificateId = null, SslProfileId = null }],
        };
        var fixedPort = Environment with { PortMap = new Dictionary<int, int> { [TestGateways.FrontendPort] = 8444 } };

        var error = Assert.Throws<ArmException>(() => GatewayCompiler.Compile([template, http], fixedPort));

        Assert.Equal("GatewayLocalPortConflict", error.Error.Code);
    }

    [Fact]
    public void A_TLS_policy_that_does_not_resolve_names_the_gateway()
    {
        var broken = TestGateways.Passthrough() with { SslPolicy = new SslPolicy("Predefined", "AppGwSslPolicy2099", null, [], []) };

        var error = Assert.Throws<ArmException>(() => GatewayCompiler.Compile([broken], Environment));

        Assert.Equal(TestGateways.GatewayId, error.Error.Target);
    }

    [Fact]
    public void A_path_rule_and_a_path_maps_default_spread_over_their_load_distribution_policies()
    {
        var template = TestGateways.Passthrough();
        var rule = template.RequestRoutingRules[0];
        var pools = new[] { "x", "y" }.Select(name => new BackendAddressPool(TestGateways.Id("backendAddressPools", name), name, [new BackendAddress($"{name}.backend.test", null)])).ToArray();
        LoadDistributionPolicy Policy(string name, LoadDistributionAlgorithm algorithm, BackendAddressPool pool, int weight) =>
            new(TestGateways.Id("loadDistributionPolicies", name), name, algorithm,
                [new LoadDistributionTarget(TestGateways.Id("loadDistributionPolicies", $"{name}/loadDistributionTargets/t"), "t", weight, pool.Id)]);
        var (fewest, sticky) = (Policy("fewest", LoadDistributionAlgorithm.LeastConnections, pools[0], 2), Policy("sticky", LoadDistributionAlgorithm.IpHash, pools[1], 1));
        var map = new UrlPathMap(TestGateways.Id("urlPathMaps", "map"), "map", null, rule.BackendHttpSettingsId, null, null,
            [new PathRule(TestGateways.Id("urlPathMaps", "map/pathRules/api"), "api", ["/api/*"], null, rule.BackendHttpSettingsId, null, null) { LoadDistributionPolicyId = fewest.Id }])
        {
            DefaultLoadDistributionPolicyId = sticky.Id,
        };
        var gateway = template with
        {
            BackendAddressPools = [.. template.BackendAddressPools, .. pools],
            LoadDistributionPolicies = [fewest, sticky],
            UrlPathMaps = [map],
            RequestRoutingRules = [rule with { RuleType = RoutingRuleType.PathBasedRouting, BackendAddressPoolId = null, BackendHttpSettingsId = null, RewriteRuleSetId = null, UrlPathMapId = map.Id }],
        };

        using var plan = GatewayCompiler.Compile([gateway], Environment);

        Assert.Collection(plan.Clusters,
            api => Assert.Equal((LoadDistributionAlgorithm.LeastConnections, "x.backend.test", 2, pools[0].Id),
                (api.Distribution, api.Members.Single().Address, api.Members.Single().Weight, api.Members.Single().PoolId)),
            byDefault => Assert.Equal((LoadDistributionAlgorithm.IpHash, "y.backend.test", 1, pools[1].Id),
                (byDefault.Distribution, byDefault.Members.Single().Address, byDefault.Members.Single().Weight, byDefault.Members.Single().PoolId)));
    }
}
