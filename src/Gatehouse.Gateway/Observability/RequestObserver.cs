using System.Diagnostics;
using System.Globalization;
using Gatehouse.Gateway.Rewrites;
using Gatehouse.Gateway.Routing;
using Gatehouse.Gateway.Tls;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Gateway.Observability;

/// <summary>
/// The end of every request: its metrics and (when an access log is kept) its entry,
/// handed to the log's channel. Does no I/O and takes no lock.
/// </summary>
internal sealed class RequestObserver(GatewayMetrics metrics, JsonLineLog<AccessLogEntry>? log, string instanceId)
{
    public void Complete(HttpContext context, Exchange exchange)
    {
        var totalTime = Stopwatch.GetElapsedTime(exchange.Started);
        var labels = exchange.Listener?.Labels;
        var request = context.Request;
        var response = context.Response;
        var forwarderError = context.GetForwarderErrorFeature()?.Error ?? ForwarderError.None;
        var backendStatus = exchange.Member is not null && ErrorInfo.BackendAnswered(forwarderError) ? response.StatusCode : (int?)null;
        var received = request.ContentLength ?? 0;
        var sent = response.ContentLength ?? 0;
        var tlsProtocol = ServerVariables.TlsVersion(context);

        metrics.Record(labels, response.StatusCode, tlsProtocol, received, sent, totalTime);
        if (labels is not null && exchange.Member is { } member)
            metrics.RecordBackend(labels, member.Server, backendStatus, exchange.BackendTime);
        if (log is null) return;

        var page = context.Features.Get<GatewayPage>();
        var certificate = ClientCertificate(context, exchange.Tls, page);
        log.Add(new AccessLogEntry(DateTimeOffset.UtcNow, labels?.LoggedResourceId ?? "", labels?.ListenerName ?? "", labels?.RuleName ?? "",
            labels?.BackendPoolName ?? "", labels?.BackendSettingName ?? "", new AccessLogProperties
            {
                InstanceId = instanceId,
                ClientIP = ClientAddress(context),
                ClientPort = context.Connection.RemotePort,
                HttpMethod = request.Method,
                OriginalRequestUriWithArgs = ServerVariables.RequestUri(context),
                RequestUri = request.Path.HasValue ? request.Path.Value! : "/",
                RequestQuery = ServerVariables.Query(context),
                UserAgent = request.Headers.UserAgent.ToString(),
                HttpStatus = response.StatusCode,
                HttpVersion = ServerVariables.HttpVersion(request.Protocol),
                ReceivedBytes = received,
                SentBytes = sent,
                TimeTaken = Seconds(totalTime),
                TransactionId = exchange.TransactionId,
                SslEnabled = request.IsHttps ? "on" : "off",
                SslCipher = request.IsHttps ? OpenSslNames.Cipher(context.Features.Get<ITlsHandshakeFeature>()?.NegotiatedCipherSuite) : "",
                SslProtocol = tlsProtocol,
                SslClientVerify = certificate.Verify,
                SslClientCertificateFingerprint = certificate.Fingerprint,
                SslClientCertificateIssuerName = certificate.Issuer,
                EntraJwtValidation = exchange.EntraJwt?.Status ?? "",
                ServerRouted = exchange.Member?.Server ?? "",
                ServerStatus = backendStatus?.ToString(CultureInfo.InvariantCulture) ?? "",
                ServerResponseLatency = exchange.Member is null ? "" : Seconds(exchange.BackendTime).ToString("0.000", CultureInfo.InvariantCulture),
                OriginalHost = request.Host.Value ?? "",
                Host = exchange.Member?.HostHeader ?? request.Host.Value ?? "",
                ErrorInfo = forwarderError != ForwarderError.None ? ErrorInfo.For(forwarderError) : page?.ErrorInfo ?? ErrorInfo.NoError,
                ContentType = response.ContentType ?? "",
            }));
    }

    /// <summary>
    /// <c>sslClientVerify</c> as nginx's <c>$ssl_client_verify</c>, with the certificate's fingerprint and issuer (never its body).
    /// A Strict rejection reports FAILED with the reason; requests that got past Strict had a verified certificate.
    /// </summary>
    private static (string Verify, string Fingerprint, string Issuer) ClientCertificate(HttpContext context, TlsConnectionState? tls, GatewayPage? page)
    {
        if (tls?.ClientAuth.Mode is null) return ("NONE", "", "");
        var variables = tls.Variables(context.Connection.ClientCertificate);
        var verify = page == GatewayPage.ClientCertificateError ? "FAILED:" + (tls.FailureReason ?? VerifyFailure.NotGoodAtResponder) : variables.Verification;
        return (verify, variables.Fingerprint, variables.Issuer);
    }

    private static string ClientAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        return address is null ? "" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    private static double Seconds(TimeSpan elapsed) => Math.Round(elapsed.TotalSeconds, 3);
}
