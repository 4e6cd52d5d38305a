using Gatehouse.Gateway.Tests.Support;

namespace Gatehouse.Gateway.Tests;

/// <summary>The docs' passthrough gateway, on an OS-assigned port for frontend port 444: on the lean path, and once more on YARP's.</summary>
public sealed class PassthroughGatewayFixture : IAsyncLifetime
{
    public RunningGateway Gateway { get; private set; } = null!;

    private RunningGateway Yarp { get; set; } = null!;

    public RunningGateway On(HttpForwarding forwarding) => forwarding == HttpForwarding.Lean ? Gateway : Yarp;

    public async Task InitializeAsync()
    {
        Gateway = await RunningGateway.StartAsync(port => (TestGateways.Passthrough(), TestGateways.Environment(port)));
        Yarp = await RunningGateway.StartAsync(port => (TestGateways.Passthrough(), TestGateways.Environment(port)), forwarding: HttpForwarding.Yarp);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Yarp.DisposeAsync();
    }
}
