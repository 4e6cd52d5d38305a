using Gatehouse.Gateway.Tests.Support;

namespace Gatehouse.Gateway.Tests;

/// <summary>
/// What a client sends reaches the backend as sent, and what the gateway refuses it refuses as nginx and Azure do:
/// the path byte for byte, header values as octets both ways, TRACE answered 405, a broken request body 400.
/// Raw TLS streams, since a client library would normalise these requests.
/// </summary>
public sealed class HttpFidelityTests(PassthroughGatewayFixture fixture) : IClassFixture<PassthroughGatewayFixture>
{
    private RunningGateway Gateway => fixture.Gateway;

    [Theory]
    [InlineData("/a%2Fb")]
    [InlineData("/a%2fb/%41%7e?x=%2F")]
    [InlineData("/files/..%2F..%2Fetc")]
    [InlineData("/caf%C3%A9;v=1")]
    public async Task The_backend_gets_the_path_byte_for_byte(string target)
    {
        var response = await RawHttp.SendAsync(Gateway.Port, $"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal(target, EchoedRequest.Parse(response.Body).Target);
    }

    [Fact]
    public async Task Header_values_pass_through_as_octets_both_ways()
    {
        const string value = "caf\u00e9 \u00ff\u0080";

        var response = await RawHttp.SendAsync(Gateway.Port,
            $"GET / HTTP/1.1\r\nHost: localhost\r\nX-Name: {value}\r\n{EchoBackend.ReflectHeader}: {value}\r\nConnection: close\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal(value, EchoedRequest.Parse(response.Body).Header("X-Name"));
        Assert.Equal(value, response.Header(EchoBackend.ReflectHeader));
    }

    [Fact]
    public async Task TRACE_is_answered_405_and_never_forwarded()
    {
        var response = await RawHttp.SendAsync(Gateway.Port, "TRACE / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        Assert.Equal(405, response.Status);
        Assert.Null(response.Header("X-Backend"));
        Assert.Contains("<title>405 Not Allowed</title>", response.Body);
        Assert.Contains("Microsoft-Azure-Application-Gateway/v2", response.Body);
    }

    [Theory]
    [InlineData("zz\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhelloXX0\r\n\r\n")]
    public async Task A_malformed_chunked_body_is_answered_400(string body)
    {
        var response = await RawHttp.SendAsync(Gateway.Port,
            $"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{body}");

        Assert.Equal(400, response.Status);
        Assert.Null(response.Header("X-Backend"));
    }
}
