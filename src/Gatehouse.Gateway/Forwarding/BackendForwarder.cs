using System.Diagnostics;
using System.Runtime.CompilerServices;
using Gatehouse.Gateway.Backends;
using Gatehouse.Gateway.Hosting;
using Gatehouse.Gateway.Observability;
using Gatehouse.Gateway.Rewrites;
using Gatehouse.Gateway.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Gateway.Forwarding;

/// <summary>
/// Sends one request to a (pool, settings) pair: to the member its affinity cookie names, else to the member the
/// pair's algorithm picks among those that take traffic (counted as in flight while the forward lasts). A member that cannot be connected to is marked down (passive detection). A failed connect, a
/// connection dropped before the response, or a timeout is tried once more on another member when the request has no
/// body to replay, as v2 retries; then the gateway answers 502, or 504 for a timeout (appgw-behaviour §6.2), or 400 for a request body the client framed badly.
/// </summary>
internal sealed class BackendForwarder(IHttpForwarder forwarder, HttpForwarding forwarding)
{
    private const int Attempts = 2;

    /// <summary>Null when a backend answered; else the page the gateway answers with (the caller may replace it with a custom one).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<GatewayPage?> ForwardAsync(RequestScope scope, ClusterState cluster, ForwardTarget target, RouteDecision decision,
        Exchange exchange)
    {
        var context = scope.Context;
        var affinity = target.Cluster.Affinity;
        var member = cluster.ByAffinity(affinity?.Read(context.Request));
        var bind = affinity is not null && member is null;
        var client = context.Connection.RemoteIpAddress;
        member ??= cluster.Next(client: client);
        var error = ForwarderError.None;
        for (var attempt = 1; member is not null; attempt++)
        {
            var cookies = bind ? affinity!.SetCookies(member.Member) : null;
            exchange.Member = member.Member;
            var sent = Stopwatch.GetTimestamp();
            var transformer = new BackendTransformer(scope, decision, target.Rewrites, member.Member.HostHeader, cookies);
            var reach = await member.Member.ReachAsync(context.RequestAborted);
            cluster.RetireGoneAddresses(member);
            using (member.Forwarding())
                error = forwarding == HttpForwarding.Lean && Http1Forwarder.Handles(context, reach.Prefix, target.Cluster.Tls.SniName is not null, decision.Rewrite)
                    ? await Http1Forwarder.SendAsync(context, cluster.Connections, reach.Prefix, reach.Endpoint,
                        target.Cluster.RequestConfig.ActivityTimeout!.Value, scope, decision, member.Member.HostHeader, transformer)
                    : await forwarder.SendAsync(context, reach.Prefix, cluster.Client, target.Cluster.RequestConfig, transformer);
            exchange.BackendTime = Stopwatch.GetElapsedTime(sent);
            if (error == ForwarderError.None || context.Response.HasStarted) return null;
            var connectFailed = context.Features.Get<IForwarderErrorFeature>()?.Exception is HttpRequestException
            {
                HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError,
            };
            if (connectFailed) member.ConnectFailed();
            // Request: no response came (refused, dropped, reset before the headers), as nginx's proxy_next_upstream error.
            if (attempt == Attempts || error is not (ForwarderError.Request or ForwarderError.RequestTimedOut) || CanHaveBody(context)) break;
            // With no other member to try, the failure stands, and the access log and metrics must see it.
            if (cluster.Next(except: member, client) is not { } next) break;
            // YARP forwards only an untouched response: undo the error status its failed attempt set.
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            member = next;
            bind = affinity is not null;
        }
        return error switch
        {
            ForwarderError.RequestTimedOut => GatewayPage.GatewayTimeout,
            // Reading the client's body failed (a malformed chunk, or the client went away): its fault, not the backend's.
            ForwarderError.RequestBodyClient => GatewayPage.BadRequest,
            _ => GatewayPage.BadGateway,
        };
    }

    /// <summary>A request with a body cannot be sent twice: its body has been read into the first attempt.</summary>
    private static bool CanHaveBody(HttpContext context) => context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;
}
