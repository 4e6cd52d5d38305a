using Gatehouse.Gateway.Rewrites;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Tests;

/// <summary>The Network provider accepts a server variable only if the data plane serves it: one list, both sides.</summary>
public sealed class ServerVariableCoverageTests
{
    [Fact]
    public void Every_server_variable_the_provider_accepts_is_served()
    {
        Assert.All(AvailableOptions.ServerVariables.Append("cookie_session"), name => Assert.NotNull(ServerVariables.Find(name)));
    }
}
