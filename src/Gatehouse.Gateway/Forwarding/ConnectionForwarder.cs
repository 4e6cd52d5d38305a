using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Gatehouse.Gateway.Backends;
using Gatehouse.Gateway.Compilation;
using Gatehouse.Gateway.Hosting;
using Gatehouse.Gateway.Observability;
using Gatehouse.Gateway.Routing;
using Gatehouse.Gateway.Tls;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Gateway.Forwarding;

/// <summary>
/// The layer-4 path: a TCP or TLS listener's connection (TLS already terminated by Kestrel, with the listener's
/// certificate and client authentication) joined to one pool member for its whole life. A member that cannot be reached is
/// taken out and the next one tried, once, as for HTTP. The connection holds the plan it started with, so a redeploy
/// leaves it alone; it ends when either side closes, or after the settings' timeout without a byte either way.
/// </summary>
internal sealed class ConnectionForwarder(PlanSlot plan, OcspClient ocsp, ConnectionObserver observer)
{
    public async Task ServeAsync(ConnectionContext connection, PortBinding binding)
    {
        var started = Stopwatch.GetTimestamp();
        // A TLS connection's handshake took the plan already; a TCP one takes it here.
        var serving = connection.Items.TryGetValue(typeof(Serving), out var held) ? (Serving)held! : plan.AcquireForConnection(connection.Items);
        if (serving.Plan.Ports.GetValueOrDefault(binding) is not { } port) return;
        var handshake = connection.Features.Get<ITlsHandshakeFeature>();
        var listener = handshake is null ? port.Listeners[0] : port.SelectForHandshake(handshake.HostName);
        var session = new ConnectionSession(connection, listener, started);

        var tls = connection.Items.TryGetValue(typeof(TlsConnectionState), out var state) ? (TlsConnectionState)state! : null;
        if (tls?.ClientAuth.Mode == Network.ApplicationGateways.ClientAuthMode.Strict && await tls.CheckAsync(ocsp) != ClientCertificateCheck.Verified)
        {
            // No HTTP to answer a 400 in: a certificate Strict refuses closes the connection before any backend sees it.
            observer.Complete(session with { Error = ErrorInfo.HttpsNoCertificate }, tls);
            return;
        }

        var cluster = (ForwardTarget)listener.Route.Default;
        var members = serving.Clusters[cluster.Cluster.Index];
        var timeout = cluster.Cluster.RequestConfig.ActivityTimeout!.Value;
        var (backend, member, error) = await ConnectAsync(members, timeout, connection.ConnectionClosed);
        session = session with { Member = member?.Member, BackendConnected = Stopwatch.GetElapsedTime(started), Error = error };
        if (backend is null)
        {
            observer.Complete(session, tls);
            return;
        }
        await using (backend)
        {
            session = await PumpAsync(connection.Transport, backend, timeout, session, connection.ConnectionClosed);
        }
        observer.Complete(session, tls);
    }

    private static async Task<(Stream? Backend, MemberState? Member, string Error)> ConnectAsync(ClusterState cluster, TimeSpan timeout, CancellationToken closed)
    {
        MemberState? failed = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (cluster.Next(failed) is not { } member) break;
            try
            {
                var reach = await member.Member.ReachAsync(closed);
                return (await BackendConnector.ConnectAsync(reach.Endpoint, member.Member.ServerName, cluster.Tls, timeout, closed), member, ErrorInfo.NoError);
            }
            catch (OperationCanceledException) when (closed.IsCancellationRequested)
            {
                return (null, member, ErrorInfo.ClientClosedRequest);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or AuthenticationException)
            {
                member.ConnectFailed();
                failed = member;
            }
        }
        return (null, failed, ErrorInfo.UpstreamNoLive);
    }

    /// <summary>
    /// Copies both ways until the backend closes (or the client closes and the backend follows), or nothing moves for
    /// <paramref name="idle"/>. The client's end of stream is passed on as a half close, so request-then-reply protocols finish.
    /// </summary>
    private static async Task<ConnectionSession> PumpAsync(IDuplexPipe client, Stream backend, TimeSpan idle, ConnectionSession session, CancellationToken closed)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(closed);
        quiet.CancelAfter(idle);
        var bytes = new ByteCounts();
        var up = UpAsync(client.Input, backend, idle, quiet, bytes);
        var error = ErrorInfo.NoError;
        try
        {
            await DownAsync(backend, client.Output, idle, quiet, bytes);
        }
        catch (OperationCanceledException) when (!closed.IsCancellationRequested)
        {
            error = ErrorInfo.UpstreamTimedOut;
        }
        catch (OperationCanceledException)
        {
            // The client ended the session: the normal end of a connection, however abrupt.
        }
        catch (IOException)
        {
            error = ErrorInfo.UpstreamClosedConnection;
        }
        // The backend is done: whatever the client still sends has nowhere to go.
        await quiet.CancelAsync();
        try { await up; }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            // Ended by the backend's close above, or by the client's reset.
        }
        return session with { Received = Interlocked.Read(ref bytes.Up), Sent = Interlocked.Read(ref bytes.Down), Error = error };
    }

    private static async Task UpAsync(PipeReader input, Stream backend, TimeSpan idle, CancellationTokenSource quiet, ByteCounts bytes)
    {
        while (true)
        {
            var read = await input.ReadAsync(quiet.Token);
            foreach (var segment in read.Buffer)
            {
                await backend.WriteAsync(segment, quiet.Token);
                Interlocked.Add(ref bytes.Up, segment.Length);
            }
            input.AdvanceTo(read.Buffer.End);
            quiet.CancelAfter(idle);
            if (read.IsCompleted) break;
        }
        switch (backend)
        {
            case SslStream secure:
                await secure.ShutdownAsync();
                break;
            case NetworkStream plain:
                plain.Socket.Shutdown(SocketShutdown.Send);
                break;
        }
    }

    private static async Task DownAsync(Stream backend, PipeWriter output, TimeSpan idle, CancellationTokenSource quiet, ByteCounts bytes)
    {
        while (true)
        {
            var memory = output.GetMemory(16 * 1024);
            var read = await backend.ReadAsync(memory, quiet.Token);
            if (read == 0) break;
            output.Advance(read);
            Interlocked.Add(ref bytes.Down, read);
            var flushed = await output.FlushAsync(quiet.Token);
            quiet.CancelAfter(idle);
            if (flushed.IsCompleted) break;
        }
        await output.CompleteAsync();
    }

    /// <summary>Bytes each way so far: what moved still counts when a copy ends in an error.</summary>
    private sealed class ByteCounts
    {
        public long Up;
        public long Down;
    }
}

/// <summary>One layer-4 connection as the access log and metrics see it.</summary>
internal sealed record ConnectionSession(ConnectionContext Connection, ListenerPlan Listener, long Started)
{
    public BackendMember? Member { get; init; }
    public TimeSpan BackendConnected { get; init; }
    public long Received { get; init; }
    public long Sent { get; init; }
    public string Error { get; init; } = ErrorInfo.NoError;
}
