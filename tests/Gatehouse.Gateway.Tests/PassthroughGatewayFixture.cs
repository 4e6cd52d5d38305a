using Gatehouse.Gateway.Tests.Support;

namespace Gatehouse.Gateway.Tests;

/// <summary>The docs' passthrough gateway, on an OS-assigned port for frontend port 444.</summary>
public sealed class PassthroughGatewayFixture : IAsyncLifetime
{
    public RunningGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Gateway = await RunningGateway.StartAsync(port => (TestGateways.Passthrough(), TestGateways.Environment(port)));

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}
