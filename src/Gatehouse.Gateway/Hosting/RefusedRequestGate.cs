using Gatehouse.Gateway.Compilation;
using Gatehouse.Gateway.Routing;
using Gatehouse.Gateway.Waf;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Gatehouse.Gateway.Hosting;

/// <summary>
/// Connection middleware ahead of Kestrel's HTTP/1.x parser: it reads the head of the connection's first request
/// without consuming it. When Kestrel will refuse that request itself (<see cref="KestrelRefusal"/>) where nginx would
/// have asked its WAF, the request's firewall policy judges it: blocked, it gets the policy's answer and the connection
/// closes; otherwise Kestrel refuses it as before (400), so no such request ever reaches a backend. An unsupported HTTP
/// version gets nginx's 400 instead of Kestrel's 505. Later requests of a keep-alive connection are Kestrel's alone:
/// finding where they start would mean parsing HTTP twice.
/// </summary>
internal static class RefusedRequestGate
{
    /// <summary>Kestrel's own request line and header limits bound what it would read; beyond them it answers 414/431.</summary>
    private const int MaxHeadBytes = 96 * 1024;

    /// <summary>Kestrel's default RequestHeadersTimeout: a client that says nothing longer is Kestrel's to drop.</summary>
    private static readonly TimeSpan PeekTimeout = TimeSpan.FromSeconds(30);

    public static async Task ServeAsync(ConnectionContext connection, ConnectionDelegate next, PortBinding binding, PlanSlot plan, WafStage firewall)
    {
        if (connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol.Span.SequenceEqual("h2"u8) != true
            && await PeekAsync(connection) is { Refusal: not KestrelRefusal.None } head
            && Answer(head, connection, binding, plan, firewall) is { } response)
        {
            await connection.Transport.Output.WriteAsync(response);
            return;
        }
        await next(connection);
    }

    private static async Task<RequestHead?> PeekAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(PeekTimeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(timeout.Token);
                var buffer = result.Buffer;
                if (RequestHead.TryRead(buffer, out var head) || result.IsCompleted || buffer.Length >= MaxHeadBytes)
                {
                    // Nothing consumed or examined: Kestrel reads the same bytes at once.
                    input.AdvanceTo(buffer.Start);
                    return head;
                }
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The whole response to send instead of Kestrel's, or null to let Kestrel refuse the request.</summary>
    private static byte[]? Answer(RequestHead head, ConnectionContext connection, PortBinding binding, PlanSlot plan, WafStage firewall)
    {
        if (head.Refusal == KestrelRefusal.UnsupportedVersion) return GatewayPage.BadRequest.ClosingResponse();
        var serving = plan.Acquire();
        try
        {
            if (!serving.Plan.Ports.TryGetValue(binding, out var port)
                || port.SelectForRequest(HostName(head.Host ?? "")) is not { } listener
                || listener.Route.Select(head.Path).Target is not ForwardTarget { Waf: { } waf })
                return null;
            var client = connection.RemoteEndPoint as System.Net.IPEndPoint;
            var server = connection.LocalEndPoint as System.Net.IPEndPoint;
            return firewall.InspectRefusedHead(head, waf, listener.GatewayId,
                    WafRequest.ClientAddressOf(client?.Address)?.ToString() ?? "", client?.Port ?? 0, server?.Address.ToString() ?? "", server?.Port ?? 0)
                is { } status ? WafStage.BlockResponse(waf.Plan, status) : null;
        }
        finally
        {
            serving.Release();
        }
    }

    /// <summary>The Host without its port, as listeners match it.</summary>
    private static string HostName(string host) =>
        host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.IndexOf(':') is var colon and >= 0 ? host[..colon] : host;
}
