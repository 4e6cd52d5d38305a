using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Gatehouse.Gateway.Hosting;

namespace Gatehouse.Gateway.Backends;

/// <summary>
/// One probe of one member: GET its probe URI within the probe's timeout and judge the answer; a layer-4 probe connects
/// (and shakes hands, for TLS) instead.
/// </summary>
internal static class HealthProbe
{
    /// <summary>Enough for any <c>match.body</c> (at most 4090 characters) to be found near the start; the rest is not read.</summary>
    private const int MaxBodyBytes = 64 * 1024;

    public static Task ProbeAsync(HttpMessageInvoker client, BackendTls tls, MemberState state, ProbePlan probe, CancellationToken stopping) =>
        probe.ConnectOnly ? ConnectAsync(tls, state, probe, stopping) : GetAsync(client, state, probe, stopping);

    private static async Task ConnectAsync(BackendTls tls, MemberState state, ProbePlan probe, CancellationToken stopping)
    {
        var member = state.Member;
        try
        {
            var reach = await member.ReachAsync(stopping);
            await using var connection = await BackendConnector.ConnectAsync(reach.ProbeUri, member.ServerName, tls, probe.Timeout, stopping);
            state.ProbeSucceeded(ProbeMessages.Connected);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            state.ProbeFailed(ProbeMessages.TimedOut, probe.UnhealthyThreshold);
        }
        catch (SocketException e)
        {
            state.ProbeFailed(e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData ? ProbeMessages.NotResolved : ProbeMessages.ConnectFailed,
                probe.UnhealthyThreshold);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            state.ProbeFailed(ProbeMessages.TlsFailed, probe.UnhealthyThreshold);
        }
    }

    private static async Task GetAsync(HttpMessageInvoker client, MemberState state, ProbePlan probe, CancellationToken stopping)
    {
        var member = state.Member;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(probe.Timeout);
        var reach = await member.ReachAsync(stopping);
        using var request = new HttpRequestMessage(HttpMethod.Get, reach.ProbeUri) { Version = HttpVersion.Version11 };
        request.Headers.Host = member.ProbeHost;
        try
        {
            using var response = await client.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            if (!probe.Accepts(status))
                state.ProbeFailed(ProbeMessages.StatusMismatch(probe.StatusText, status), probe.UnhealthyThreshold);
            else if (probe.Body is { } body && !(await ReadStartAsync(response.Content, timeout.Token)).Contains(body, StringComparison.Ordinal))
                state.ProbeFailed(ProbeMessages.BodyMismatch(body), probe.UnhealthyThreshold);
            else
                state.ProbeSucceeded(ProbeMessages.Success(status));
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            state.ProbeFailed(ProbeMessages.TimedOut, probe.UnhealthyThreshold);
        }
        catch (HttpRequestException e)
        {
            state.ProbeFailed(e.HttpRequestError == HttpRequestError.NameResolutionError ? ProbeMessages.NotResolved : ProbeMessages.ConnectFailed,
                probe.UnhealthyThreshold);
        }
    }

    private static async Task<string> ReadStartAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBodyBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0) length += read;
        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}
