using System.Net;
using Gatehouse.Gateway.Tests.Support;

namespace Gatehouse.Gateway.Tests;

/// <summary>v2's 32 KB limits on the URL and on the request headers (appgw-behaviour §7), on both forwarding paths.</summary>
public sealed class LimitTests
{
    [Theory]
    [InlineData(20 * 1024, HttpStatusCode.OK, HttpForwarding.Lean)]
    [InlineData(20 * 1024, HttpStatusCode.OK, HttpForwarding.Yarp)]
    [InlineData(40 * 1024, HttpStatusCode.RequestUriTooLong, HttpForwarding.Lean)]
    [InlineData(40 * 1024, HttpStatusCode.RequestUriTooLong, HttpForwarding.Yarp)]
    public async Task URLs_up_to_32_KB_are_served(int length, HttpStatusCode expected, HttpForwarding path)
    {
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.Passthrough(), TestGateways.Environment(port)), forwarding: path);
        using var client = gateway.Client();

        using var response = await client.GetAsync("/" + new string('a', length));

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData(20 * 1024, HttpStatusCode.OK, HttpForwarding.Lean)]
    [InlineData(20 * 1024, HttpStatusCode.OK, HttpForwarding.Yarp)]
    [InlineData(40 * 1024, HttpStatusCode.RequestHeaderFieldsTooLarge, HttpForwarding.Lean)]
    [InlineData(40 * 1024, HttpStatusCode.RequestHeaderFieldsTooLarge, HttpForwarding.Yarp)]
    public async Task Request_headers_up_to_32_KB_are_served(int length, HttpStatusCode expected, HttpForwarding path)
    {
        await using var gateway = await RunningGateway.StartAsync(port => (TestGateways.Passthrough(), TestGateways.Environment(port)), forwarding: path);
        using var client = gateway.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Large", new string('h', length));

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }
}
