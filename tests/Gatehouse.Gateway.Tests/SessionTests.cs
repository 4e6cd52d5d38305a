using Gatehouse.Gateway.Tests.Support;

namespace Gatehouse.Gateway.Tests;

/// <summary>
/// The client certificate is settled once, at the full handshake of each connection: no renegotiation can
/// change it and no resumed session can carry it to another connection (peers-mtls §6.2, §6.3).
/// </summary>
public sealed class SessionTests(MixedListenersFixture fixture) : IClassFixture<MixedListenersFixture>
{
    private RunningGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task A_client_initiated_renegotiation_on_TLS_1_2_ends_the_connection()
    {
        // s_client's R command renegotiates; it is typed once the first handshake has finished. Had the gateway
        // renegotiated, s_client would wait for more input and the bounded wait would fail the test.
        var result = await Tool.ConverseAsync("openssl", "Verify return code", "R\n",
            "s_client", "-connect", $"127.0.0.1:{Gateway.Port}", "-servername", "pass.test", "-tls1_2");

        Assert.Contains("RENEGOTIATING", result.All);
        Assert.NotEqual(0, result.ExitCode);
        // .NET refuses (AllowRenegotiation = false) by closing the connection instead of answering the new ClientHello.
        Assert.True(result.Error.Contains("unexpected eof while reading"), result.All);
    }

    [Fact]
    public async Task TLS_1_2_gives_the_client_no_session_to_resume()
    {
        var session = Path.Combine(Path.GetTempPath(), $"gatehouse-session-{Guid.NewGuid():N}.pem");

        var result = await ConnectAsync("-tls1_2", "-sess_out", session);

        Assert.Contains("New, TLSv1.2", result.Output);
        // No session id and no ticket, so s_client had no session to save.
        Assert.Matches(@"Session-ID: *\n", result.Output);
        Assert.DoesNotContain("TLS session ticket", result.Output);
        Assert.False(File.Exists(session), result.All);
    }

    [Fact]
    public async Task A_TLS_1_3_ticket_does_not_resume_a_session()
    {
        var session = Path.Combine(Path.GetTempPath(), $"gatehouse-session-{Guid.NewGuid():N}.pem");
        try
        {
            // OpenSSL still sends TLS 1.3 tickets, but with AllowTlsResume off the server keeps no session for them.
            var first = await ConnectAsync("-tls1_3", "-sess_out", session);
            var second = await ConnectAsync("-tls1_3", "-sess_in", session);

            Assert.Contains("TLS session ticket", first.Output);
            Assert.True(second.Output.Contains("New, TLSv1.3"), second.All);
            Assert.DoesNotContain("Reused, ", second.Output);
        }
        finally
        {
            File.Delete(session);
        }
    }

    /// <summary>A whole request and response, so that tickets sent after the handshake have arrived when s_client exits.</summary>
    private Task<ToolResult> ConnectAsync(params string[] options) =>
        Tool.ConverseAsync("openssl", "Verify return code", "GET / HTTP/1.1\r\nHost: pass.test\r\nConnection: close\r\n\r\n",
            ["s_client", "-connect", $"127.0.0.1:{Gateway.Port}", "-servername", "pass.test", .. options]);
}
