using Gatehouse.Gateway.Tests.Support;

namespace Gatehouse.Gateway.Tests;

/// <summary>
/// What a client sends reaches the backend as sent, and what the gateway refuses it refuses as nginx and Azure do:
/// the path byte for byte, header values as octets both ways, TRACE answered 405, a broken request body 400.
/// Raw TLS streams, since a client library would normalise these requests. Each runs on both forwarding paths.
/// </summary>
public sealed class HttpFidelityTests(PassthroughGatewayFixture fixture) : IClassFixture<PassthroughGatewayFixture>
{
    private static readonly HttpForwarding[] Both = [HttpForwarding.Lean, HttpForwarding.Yarp];

    public static TheoryData<HttpForwarding> Paths => [.. Both];

    private static TheoryData<string, HttpForwarding> OnPaths(params string[] values)
    {
        var data = new TheoryData<string, HttpForwarding>();
        foreach (var value in values)
        foreach (var path in Both)
            data.Add(value, path);
        return data;
    }

    public static TheoryData<string, HttpForwarding> Targets => OnPaths("/a%2Fb", "/a%2fb/%41%7e?x=%2F", "/files/..%2F..%2Fetc", "/caf%C3%A9;v=1");

    public static TheoryData<string, HttpForwarding> MalformedChunks => OnPaths("zz\r\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n");

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task The_backend_gets_the_path_byte_for_byte(string target, HttpForwarding path)
    {
        var response = await RawHttp.SendAsync(fixture.On(path).Port, $"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal(target, EchoedRequest.Parse(response.Body).Target);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Header_values_pass_through_as_octets_both_ways(HttpForwarding path)
    {
        const string value = "caf\u00e9 \u00ff\u0080";

        var response = await RawHttp.SendAsync(fixture.On(path).Port,
            $"GET / HTTP/1.1\r\nHost: localhost\r\nX-Name: {value}\r\n{EchoBackend.ReflectHeader}: {value}\r\nConnection: close\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal(value, EchoedRequest.Parse(response.Body).Header("X-Name"));
        Assert.Equal(value, response.Header(EchoBackend.ReflectHeader));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task TRACE_is_answered_405_and_never_forwarded(HttpForwarding path)
    {
        var response = await RawHttp.SendAsync(fixture.On(path).Port, "TRACE / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        Assert.Equal(405, response.Status);
        Assert.Null(response.Header("X-Backend"));
        Assert.Contains("<title>405 Not Allowed</title>", response.Body);
        Assert.Contains("Microsoft-Azure-Application-Gateway/v2", response.Body);
    }

    [Theory]
    [MemberData(nameof(MalformedChunks))]
    public async Task A_malformed_chunked_body_is_answered_400(string body, HttpForwarding path)
    {
        var response = await RawHttp.SendAsync(fixture.On(path).Port,
            $"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{body}");

        Assert.Equal(400, response.Status);
        Assert.Null(response.Header("X-Backend"));
    }
}
