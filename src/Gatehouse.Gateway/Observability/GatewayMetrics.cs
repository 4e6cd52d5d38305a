using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Gatehouse.Gateway.Observability;

/// <summary>
/// Azure's Application Gateway metrics (appgw-behaviour §8.2) as System.Diagnostics.Metrics instruments, named as Azure
/// names them, with its dimensions. Times in milliseconds, as Azure reports them.
/// </summary>
/// <remarks>
/// The counts are kept per listener in <see cref="RequestCounters"/> and published through observable instruments, so a
/// request costs a few interlocked additions and two histogram records instead of a measurement per metric for every
/// listener of the meter (the Prometheus exporter and the ARM metrics route each listen); the listeners read the counts
/// only when they are scraped.
/// </remarks>
internal sealed class GatewayMetrics : IDisposable
{
    private readonly Meter _meter = new(GatewayHost.MeterName);
    private readonly Histogram<double> _totalTime;
    private readonly Histogram<double> _backendLastByteTime;
    private readonly UpDownCounter<long> _currentConnections;
    private readonly Histogram<double> _connectionLifetime;
    private readonly Histogram<double> _backendSessionDuration;
    private readonly Counter<long> _wafRequests;
    private readonly Counter<long> _wafCustomRules;
    private readonly Counter<long> _wafSecRules;
    // Found by reference on the request path (every plan's labels are new objects); by value when a redeploy brings
    // new objects for the same names, so that counts go on across deployments as Azure's do.
    private readonly ConditionalWeakTable<ListenerLabels, RequestCounters> _byReference = new();
    private readonly ConcurrentDictionary<ListenerLabels, RequestCounters> _byNames = new();
    private readonly RequestCounters _unrouted = new([]);
    private long _connectionsOpened;

    public GatewayMetrics(Func<IReadOnlyList<BackendMemberStatus>> members, Func<long> droppedLogEntries, Func<int> plansAlive)
    {
        _meter.CreateObservableCounter("TotalRequests", () => Each(c => c.Total), description: "Requests the gateway answered.");
        _meter.CreateObservableCounter("FailedRequests", () => Each(c => c.Failed),
            description: "Requests answered with a 5xx, by the gateway or the backend.");
        _meter.CreateObservableCounter("ResponseStatus", () => Counters.SelectMany(c => c.ByStatusGroup()),
            description: "Responses to clients by status group.");
        _meter.CreateObservableCounter("BackendResponseStatus", () => Counters.SelectMany(c => c.BackendsByStatusGroup()),
            description: "Responses from pool members by status group.");
        _meter.CreateObservableCounter("BytesReceived", () => Each(c => c.BytesReceived), "By", "Request body bytes received from clients.");
        _meter.CreateObservableCounter("BytesSent", () => Each(c => c.BytesSent), "By", "Response body bytes sent to clients.");
        _meter.CreateObservableCounter("TlsProtocol", () => Counters.SelectMany(c => c.ByTlsProtocol()),
            description: "Requests by the client's TLS protocol (empty: plain HTTP).");
        _totalTime = _meter.CreateHistogram<double>("ApplicationGatewayTotalTime", "ms", "From the request's arrival until its response was sent.");
        _backendLastByteTime = _meter.CreateHistogram<double>("BackendLastByteResponseTime", "ms",
            "From sending to the backend until the last byte of its response.");
        _connectionLifetime = _meter.CreateHistogram<double>("ConnectionLifetime", "ms", "How long a TCP or TLS listener's connection lasted.");
        _backendSessionDuration = _meter.CreateHistogram<double>("BackendSessionDuration", "ms",
            "How long a TCP or TLS listener's connection to its pool member lasted.");
        _currentConnections = _meter.CreateUpDownCounter<long>("CurrentConnections", description: "Open client connections.");
        _meter.CreateObservableCounter("NewConnections", () => Interlocked.Read(ref _connectionsOpened),
            description: "Client connections accepted (Azure's NewConnectionsPerSecond is its rate).");
        _meter.CreateObservableGauge("HealthyHostCount", () => HostCounts(members(), "Up"),
            description: "Pool members whose health probe succeeded.");
        _meter.CreateObservableGauge("UnhealthyHostCount", () => HostCounts(members(), "Down"),
            description: "Pool members that failed their probe's threshold or a connection.");
        _meter.CreateObservableCounter("AccessLogDroppedEntries", droppedLogEntries,
            description: "Access log entries dropped because the writer fell behind (Gatehouse's own).");
        _wafRequests = _meter.CreateCounter<long>("AzwafTotalRequests", description: "Requests the web application firewall evaluated, by action.");
        _wafCustomRules = _meter.CreateCounter<long>("AzwafCustomRule", description: "Custom rule matches, by rule and action.");
        _wafSecRules = _meter.CreateCounter<long>("AzwafSecRule", description: "Managed rule matches, by rule and action.");
        _meter.CreateObservableGauge("PlansAlive", plansAlive,
            description: "Gateway plans in memory: the one serving and retired ones that connections still use (Gatehouse's own).");
    }

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsOpened);
        _currentConnections.Add(1);
    }

    public void ConnectionClosed() => _currentConnections.Add(-1);

    /// <summary>A request no listener took is counted under the gateway-less, listener-less tags.</summary>
    public void Record(ListenerLabels? labels, int status, string tlsProtocol, long received, long sent, TimeSpan total)
    {
        var counters = For(labels);
        counters.Add(status, tlsProtocol, received, sent);
        if (_totalTime.Enabled) _totalTime.Record(total.TotalMilliseconds, counters.Tags);
    }

    /// <summary>A layer-4 connection: its bytes under the listener's dimensions, its lifetime and its backend session (null when none began).</summary>
    public void RecordConnection(ListenerLabels labels, string tlsProtocol, long received, long sent, TimeSpan lifetime, TimeSpan? backendSession)
    {
        var counters = For(labels);
        counters.AddConnection(tlsProtocol, received, sent);
        if (_connectionLifetime.Enabled) _connectionLifetime.Record(lifetime.TotalMilliseconds, counters.Tags);
        if (backendSession is { } session && _backendSessionDuration.Enabled) _backendSessionDuration.Record(session.TotalMilliseconds, counters.Tags);
    }

    public void RecordBackend(ListenerLabels labels, string server, int? status, TimeSpan elapsed)
    {
        var backend = For(labels).Backend(server);
        if (status is { } answered) backend.Add(answered);
        if (_backendLastByteTime.Enabled) _backendLastByteTime.Record(elapsed.TotalMilliseconds, backend.Tags);
    }

    public void RecordWaf(string gatewayId, string action) =>
        _wafRequests.Add(1, new(MetricDimensions.ResourceId, gatewayId), new("Action", action));

    public void RecordWafCustomRule(string gatewayId, string rule, string action) =>
        _wafCustomRules.Add(1, new(MetricDimensions.ResourceId, gatewayId), new("CustomRuleID", rule), new("Action", action));

    public void RecordWafSecRule(string gatewayId, string ruleId, string action) =>
        _wafSecRules.Add(1, new(MetricDimensions.ResourceId, gatewayId), new("RuleId", ruleId), new("Action", action));

    public void Dispose() => _meter.Dispose();

    private IEnumerable<RequestCounters> Counters => _byNames.Values.Append(_unrouted);

    private IEnumerable<Measurement<long>> Each(Func<RequestCounters, long> count) =>
        Counters.Select(c => new Measurement<long>(count(c), c.Tags));

    private RequestCounters For(ListenerLabels? labels)
    {
        if (labels is null) return _unrouted;
        if (_byReference.TryGetValue(labels, out var counters)) return counters;
        counters = _byNames.GetOrAdd(labels, l => new RequestCounters(l.Tags()));
        _byReference.AddOrUpdate(labels, counters);
        return counters;
    }

    private static IEnumerable<Measurement<long>> HostCounts(IReadOnlyList<BackendMemberStatus> members, string health) =>
        members
            .GroupBy(s => (s.GatewayId, s.BackendPoolName))
            .Select(pool => new Measurement<long>(pool.Count(s => s.Health == health),
                new(MetricDimensions.ResourceId, (object?)pool.Key.GatewayId), new(MetricDimensions.BackendPool, (object?)pool.Key.BackendPoolName)));
}
