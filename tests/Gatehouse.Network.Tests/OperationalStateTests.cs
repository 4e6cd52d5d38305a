using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Network.Tests;

/// <summary>The stop and start actions set operationalState; a redeploy of a stopped gateway leaves it stopped, as only start starts it.</summary>
public sealed class OperationalStateTests
{
    [Fact]
    public void A_stopped_gateway_stays_stopped_through_a_redeploy_and_runs_again_once_started()
    {
        var deployed = NetworkProvider.Provision(ReferenceDeployment.GatewayInput(), ReferenceDeployment.Neighbours());
        var stopped = NetworkProvider.WithOperationalState(deployed, GatewayOperationalState.Stopped);
        var lookup = ReferenceDeployment.Neighbours();
        var redeployed = NetworkProvider.Provision(ReferenceDeployment.GatewayInput(), id => id == stopped.Id ? stopped : lookup(id));
        var started = NetworkProvider.WithOperationalState(redeployed, GatewayOperationalState.Running);

        Assert.Equal("Running", (string?)deployed.Body["properties"]!["operationalState"]);
        Assert.Equal(GatewayOperationalState.Stopped, NetworkProvider.ReadApplicationGateway(redeployed).OperationalState);
        Assert.Equal(GatewayOperationalState.Running, NetworkProvider.ReadApplicationGateway(started).OperationalState);
        Assert.NotEqual(deployed.Body["etag"]!.ToString(), stopped.Body["etag"]!.ToString());
    }
}
