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
}
