using System.Diagnostics;
using System.Runtime.CompilerServices;
using Gatehouse.Gateway.Authentication;
using Gatehouse.Gateway.Compilation;
using Gatehouse.Gateway.Forwarding;
using Gatehouse.Gateway.Hosting;
using Gatehouse.Gateway.Observability;
using Gatehouse.Gateway.Rewrites;
using Gatehouse.Gateway.Tls;
using Gatehouse.Gateway.Waf;
using Gatehouse.Network.ApplicationGateways;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Gateway.Routing;

/// <summary>
/// The request path: listener by Host, client-certificate policy, routing rule, pool member, forward.
/// Reads the current plan once per request and nothing else that configuration touches; the only thing it may
/// wait for before routing is the connection's OCSP answer.
/// </summary>
internal sealed class RequestRouter(PlanSlot plan, BackendForwarder forwarder, OcspClient ocsp, RequestObserver observer, WafStage firewall)
{
    /// <summary>Also judges the requests Kestrel refuses before they reach the router (<see cref="RefusedRequestGate"/>).</summary>
    public WafStage Firewall => firewall;

    public async Task RouteAsync(HttpContext context, PortBinding binding)
    {
        var exchange = new Exchange();
        var serving = plan.Acquire();
        try
        {
            await RouteAsync(context, binding, exchange, serving);
        }
        finally
        {
            serving.Release();
            observer.Complete(context, exchange);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask RouteAsync(HttpContext context, PortBinding binding, Exchange exchange, Serving serving)
    {
        // A port that left the plan is draining: its connections get no new listener.
        if (!serving.Plan.Ports.TryGetValue(binding, out var port))
        {
            await GatewayPage.InvalidHost.WriteAsync(context);
            return;
        }

        // A Host header sent empty names no site: nginx (Azure's data plane) refuses it, where Kestrel accepts it.
        if (context.Request.Headers.Host is [""])
        {
            await GatewayPage.BadRequest.WriteAsync(context);
            return;
        }

        var listener = port.SelectForRequest(context.Request.Host.Host);
        // ERRORINFO_INVALID_HOST
        if (listener is null)
        {
            await GatewayPage.InvalidHost.WriteAsync(context);
            return;
        }
        exchange.Listener = listener;

        if (HttpMethods.IsTrace(context.Request.Method))
        {
            await WritePageAsync(GatewayPage.TraceNotAllowed, context, listener, serving);
            return;
        }

        // Before any rewrite can read or set them, so that only the gateway speaks for the client certificate.
        listener.CertificateHeaders.RemoveFrom(context.Request.Headers);

        var tls = exchange.Tls = binding.Protocol == ListenerProtocol.Https ? TlsConnectionState.Of(context) : null;
        if (tls is not null && await RejectionAsync(tls, listener) is { } rejection)
        {
            await WritePageAsync(rejection, context, listener, serving);
            return;
        }

        // Before rewrites, which may read the identity header; a forged one was removed with the certificate headers.
        if (listener.Route.EntraJwt is { } entraJwt)
        {
            var outcome = exchange.EntraJwt = await entraJwt.ValidateAsync(context.Request.Headers.Authorization);
            if (outcome.Identity is { } identity)
                context.Request.Headers[EntraJwtValidation.IdentityHeader] = identity;
            else if (entraJwt.Deny)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await WritePageAsync(GatewayPage.Unauthorized, context, listener, serving);
                return;
            }
        }

        var scope = new RequestScope(context, listener, tls, exchange.TransactionId);
        var path = context.Request.Path.HasValue ? context.Request.Path.Value! : "/";
        var decision = RouteDecision.Decide(listener.Route, scope, path, context.Request.QueryString);
        switch (decision.Target)
        {
            case RedirectTarget redirect:
                // A redirect is the rule's answer, not a gateway error: no custom page replaces it.
                await redirect.Redirect.WriteAsync(context);
                return;
            case ForwardTarget target:
                if (target.Waf is { } waf && await firewall.InspectAsync(context, waf, listener.GatewayId, exchange.TransactionId)) return;
                if (await forwarder.ForwardAsync(scope, serving.Clusters[target.Cluster.Index], target, decision, exchange) is { } failure)
                    await WritePageAsync(failure, context, listener, serving);
                return;
            case null:
                await WritePageAsync(GatewayPage.RerouteLoop, context, listener, serving);
                return;
            default:
                throw new UnreachableException();
        }
    }

    /// <summary>The listener's custom error page for the status (its own, else the gateway's), when one was fetched; else the gateway's page.</summary>
    private static Task WritePageAsync(GatewayPage page, HttpContext context, ListenerPlan listener, Serving serving) =>
        listener.CustomErrorPageUrls.TryGetValue(page.StatusCode, out var url) && serving.ErrorPages.TryGetValue(url, out var body)
            ? page.WriteAsync(context, body)
            : page.WriteAsync(context);

    /// <summary>
    /// Checked on every request, since keep-alive and HTTP/2 connections carry many Hosts: a Host may not pick a
    /// listener whose client authentication differs from the handshake's, and a handshake without SNI reaches
    /// no Strict (or SNI-requiring) listener that takes names, since it was chosen by position, not by name.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<GatewayPage?> RejectionAsync(TlsConnectionState tls, ListenerPlan listener)
    {
        var clientAuth = listener.Tls!.ClientAuth;
        if (tls.ClientAuth.Key != clientAuth.Key) return GatewayPage.MisdirectedRequest;
        if (!tls.ServerNameSent && listener.HostNames.Count > 0
            && (clientAuth.Mode == ClientAuthMode.Strict || listener.RequireServerNameIndication))
            return GatewayPage.MisdirectedRequest;
        if (tls.ClientAuth.Mode != ClientAuthMode.Strict) return null;
        return await tls.CheckAsync(ocsp) switch
        {
            ClientCertificateCheck.Verified => null,
            ClientCertificateCheck.Absent => GatewayPage.NoClientCertificate,
            _ => GatewayPage.ClientCertificateError,
        };
    }
}
