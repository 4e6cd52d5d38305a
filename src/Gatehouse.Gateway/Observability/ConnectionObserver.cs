using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gatehouse.Gateway.Forwarding;
using Gatehouse.Gateway.Rewrites;
using Gatehouse.Gateway.Tls;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Gateway.Observability;

/// <summary>
/// The end of every layer-4 connection: its metrics (bytes, connection lifetime, backend session) and one access log
/// entry with Azure's fields, the HTTP ones empty: one connection is one entry, whatever protocol it carried.
/// </summary>
internal sealed class ConnectionObserver(GatewayMetrics metrics, JsonLineLog<AccessLogEntry>? log, string instanceId)
{
    public void Complete(ConnectionSession session, TlsConnectionState? tls)
    {
        var lifetime = Stopwatch.GetElapsedTime(session.Started);
        var labels = session.Listener.Labels;
        var connection = session.Connection;
        var handshake = connection.Features.Get<ITlsHandshakeFeature>();
        var tlsProtocol = ServerVariables.TlsVersion(handshake?.Protocol);
        metrics.RecordConnection(labels, tlsProtocol, session.Received, session.Sent, lifetime,
            session.Member is null || session.Error != ErrorInfo.NoError && session.Received == 0 ? null : lifetime - session.BackendConnected);
        if (log is null) return;

        var certificate = tls?.Variables(connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate);
        var remote = connection.RemoteEndPoint as IPEndPoint;
        log.Add(new AccessLogEntry(DateTimeOffset.UtcNow, labels.LoggedResourceId, labels.ListenerName, labels.RuleName,
            labels.BackendPoolName, labels.BackendSettingName, new AccessLogProperties
            {
                InstanceId = instanceId,
                ClientIP = remote is null ? "" : (remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address).ToString(),
                ClientPort = remote?.Port ?? 0,
                HttpMethod = "",
                OriginalRequestUriWithArgs = "",
                RequestUri = "",
                RequestQuery = "",
                UserAgent = "",
                HttpStatus = 0,
                HttpVersion = "",
                ReceivedBytes = session.Received,
                SentBytes = session.Sent,
                TimeTaken = Math.Round(lifetime.TotalSeconds, 3),
                TransactionId = Guid.NewGuid().ToString("N"),
                SslEnabled = handshake is null ? "off" : "on",
                SslCipher = OpenSslNames.Cipher(handshake?.NegotiatedCipherSuite),
                SslProtocol = tlsProtocol,
                SslClientVerify = session.Error == ErrorInfo.HttpsNoCertificate ? "FAILED:" + (tls?.FailureReason ?? VerifyFailure.NotGoodAtResponder)
                    : certificate?.Verification ?? "NONE",
                SslClientCertificateFingerprint = certificate?.Fingerprint ?? "",
                SslClientCertificateIssuerName = certificate?.Issuer ?? "",
                ServerRouted = session.Member?.Server ?? "",
                ServerStatus = "",
                ServerResponseLatency = session.Member is null ? "" : session.BackendConnected.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture),
                OriginalHost = handshake?.HostName ?? "",
                Host = session.Member?.HostHeader ?? "",
                EntraJwtValidation = "",
                ErrorInfo = session.Error,
                ContentType = "",
            }));
    }
}
