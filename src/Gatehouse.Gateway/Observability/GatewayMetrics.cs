using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gatehouse.Gateway.Observability;

/// <summary>
/// Azure's Application Gateway metrics (appgw-behaviour §8.2) as System.Diagnostics.Metrics instruments, named as Azure
/// names them, with its dimensions. Times in milliseconds, as Azure reports them.
/// </summary>
internal sealed class GatewayMetrics : IDisposable
{
    private static readonly string[] StatusGroups = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly Meter _meter = new(GatewayHost.MeterName);
    private readonly Counter<long> _totalRequests;
    private readonly Counter<long> _failedRequests;
    private readonly Counter<long> _responseStatus;
    private readonly Counter<long> _backendResponseStatus;
    private readonly Counter<long> _bytesReceived;
    private readonly Counter<long> _bytesSent;
    private readonly Counter<long> _tlsProtocol;
    private readonly Histogram<double> _totalTime;
    private readonly Histogram<double> _backendLastByteTime;
    private readonly UpDownCounter<long> _currentConnections;

    public GatewayMetrics(Func<IReadOnlyList<BackendMemberStatus>> members, Func<long> droppedLogEntries)
    {
        _totalRequests = _meter.CreateCounter<long>("TotalRequests", description: "Requests the gateway answered.");
        _failedRequests = _meter.CreateCounter<long>("FailedRequests", description: "Requests answered with a 5xx, by the gateway or the backend.");
        _responseStatus = _meter.CreateCounter<long>("ResponseStatus", description: "Responses to clients by status group.");
        _backendResponseStatus = _meter.CreateCounter<long>("BackendResponseStatus", description: "Responses from pool members by status group.");
        _bytesReceived = _meter.CreateCounter<long>("BytesReceived", "By", "Request body bytes received from clients.");
        _bytesSent = _meter.CreateCounter<long>("BytesSent", "By", "Response body bytes sent to clients.");
        _tlsProtocol = _meter.CreateCounter<long>("TlsProtocol", description: "Requests by the client's TLS protocol (empty: plain HTTP).");
        _totalTime = _meter.CreateHistogram<double>("ApplicationGatewayTotalTime", "ms", "From the request's arrival until its response was sent.");
        _backendLastByteTime = _meter.CreateHistogram<double>("BackendLastByteResponseTime", "ms",
            "From sending to the backend until the last byte of its response.");
        _currentConnections = _meter.CreateUpDownCounter<long>("CurrentConnections", description: "Open client connections.");
        _meter.CreateObservableGauge("HealthyHostCount", () => HostCounts(members(), "Up"),
            description: "Pool members whose health probe succeeded.");
        _meter.CreateObservableGauge("UnhealthyHostCount", () => HostCounts(members(), "Down"),
            description: "Pool members that failed their probe's threshold or a connection.");
        _meter.CreateObservableCounter("AccessLogDroppedEntries", droppedLogEntries,
            description: "Access log entries dropped because the writer fell behind (Gatehouse's own).");
    }

    public void ConnectionOpened() => _currentConnections.Add(1);

    public void ConnectionClosed() => _currentConnections.Add(-1);

    /// <summary>A request no listener took: counted under the gateway-less, listener-less tags.</summary>
    public void Record(ListenerLabels? labels, int status, string tlsProtocol, long received, long sent, TimeSpan total)
    {
        var tags = labels?.Tags() ?? default;
        _totalRequests.Add(1, tags);
        if (status >= 500) _failedRequests.Add(1, tags);
        _bytesReceived.Add(received, tags);
        _bytesSent.Add(sent, tags);
        _totalTime.Record(total.TotalMilliseconds, tags);
        var withProtocol = tags;
        withProtocol.Add(MetricDimensions.TlsProtocol, tlsProtocol);
        _tlsProtocol.Add(1, withProtocol);
        tags.Add(MetricDimensions.HttpStatusGroup, StatusGroup(status));
        _responseStatus.Add(1, tags);
    }

    public void RecordBackend(ListenerLabels labels, string server, int? status, TimeSpan elapsed)
    {
        var tags = labels.Tags();
        tags.Add(MetricDimensions.BackendServer, server);
        _backendLastByteTime.Record(elapsed.TotalMilliseconds, tags);
        if (status is not { } answered) return;
        tags.Add(MetricDimensions.HttpStatusGroup, StatusGroup(answered));
        _backendResponseStatus.Add(1, tags);
    }

    public void Dispose() => _meter.Dispose();

    private static string StatusGroup(int status) => status is >= 100 and < 600 ? StatusGroups[status / 100 - 1] : "other";

    private static IEnumerable<Measurement<long>> HostCounts(IReadOnlyList<BackendMemberStatus> members, string health) =>
        members
            .GroupBy(s => (s.GatewayId, s.BackendPoolName))
            .Select(pool => new Measurement<long>(pool.Count(s => s.Health == health), new TagList
            {
                { MetricDimensions.ResourceId, pool.Key.GatewayId },
                { MetricDimensions.BackendPool, pool.Key.BackendPoolName },
            }));
}
