using Gatehouse.Gateway.Backends;
using Gatehouse.Gateway.Compilation;
using Gatehouse.Gateway.Forwarding;
using Gatehouse.Gateway.Hosting;
using Gatehouse.Gateway.Observability;
using Gatehouse.Gateway.Waf;
using Gatehouse.Gateway.Routing;
using Gatehouse.Gateway.Tls;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Gateway;

/// <summary>
/// Serves a <see cref="GatewayPlan"/>: one Kestrel server per local socket, all sharing one forwarder, pooled
/// backend clients (one per way of judging backend certificates) and one OCSP client with its cache of answers
/// (kept across plans). Beside the plan it keeps each (pool, settings) pair's runtime state and prober.
/// <see cref="ApplyAsync"/> swaps plans without dropping connections on kept ports. Every request ends in the metrics
/// (meter <see cref="MeterName"/>) and, when sinks are given, in the access log.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    /// <summary>The System.Diagnostics.Metrics meter with Azure's Application Gateway metrics.</summary>
    public const string MeterName = "Gatehouse.Gateway";

    /// <summary>The access log's <c>instanceId</c> when none is given: one process serves as one Azure instance.</summary>
    public const string DefaultInstanceId = "appgw_0";

    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly PlanSlot _plan = new();
    private readonly ServiceProvider _forwarding;
    private readonly Dictionary<string, (HttpMessageInvoker Client, BackendTls Tls)> _backendClients = [];
    private readonly ErrorPageFetcher _errorPages;
    private readonly OcspClient _ocsp;
    private readonly RequestRouter _router;
    private readonly ConnectionForwarder _connections;
    private readonly JsonLineLog<AccessLogEntry>? _accessLog;
    private readonly JsonLineLog<FirewallLogEntry>? _firewallLog;
    private readonly GatewayMetrics _metrics;
    private readonly SemaphoreSlim _applying = new(1, 1);
    private Dictionary<PortBinding, PortServer> _servers = [];
    private Dictionary<ClusterKey, ClusterState> _clusters = [];
    private volatile IReadOnlyList<ListenerEndpoint> _endpoints = [];

    /// <param name="accessLogSinks">Where access log lines go; none keeps no access log (metrics are always kept).</param>
    /// <param name="firewallLogSinks">Where firewall log lines go; none keeps no firewall log.</param>
    /// <param name="instanceId">The access log's <c>instanceId</c>: this process among the instances that serve the same gateways.</param>
    /// <param name="forwarding">Whether HTTP/1.1 requests to plain-HTTP members take the lean path or YARP's.</param>
    public GatewayHost(ILoggerFactory loggerFactory, IReadOnlyList<IAccessLogSink>? accessLogSinks = null,
        IReadOnlyList<IAccessLogSink>? firewallLogSinks = null, string instanceId = DefaultInstanceId, HttpForwarding forwarding = HttpForwarding.Lean)
    {
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<GatewayHost>();
        _forwarding = new ServiceCollection().AddSingleton(loggerFactory).AddLogging().AddHttpForwarder().BuildServiceProvider();
        _ocsp = new OcspClient(loggerFactory.CreateLogger<OcspClient>());
        _errorPages = new ErrorPageFetcher(_logger);
        _accessLog = accessLogSinks is { Count: > 0 }
            ? new JsonLineLog<AccessLogEntry>(accessLogSinks, AccessLogJson.Default.AccessLogEntry, "Access log", loggerFactory.CreateLogger<GatewayHost>())
            : null;
        _firewallLog = firewallLogSinks is { Count: > 0 }
            ? new JsonLineLog<FirewallLogEntry>(firewallLogSinks, FirewallLogJson.Default.FirewallLogEntry, "Firewall log", loggerFactory.CreateLogger<GatewayHost>())
            : null;
        _metrics = new GatewayMetrics(() => BackendMembers, () => _accessLog?.Dropped ?? 0, () => _plan.PlansAlive);
        _router = new RequestRouter(_plan, new BackendForwarder(_forwarding.GetRequiredService<IHttpForwarder>(), forwarding), _ocsp,
            new RequestObserver(_metrics, _accessLog, instanceId), new WafStage(_metrics, _firewallLog, instanceId));
        _connections = new ConnectionForwarder(_plan, _ocsp, new ConnectionObserver(_metrics, _accessLog, instanceId));
    }

    /// <summary>Every pool member of every gateway, once per pool, as probes and failed connections left it.</summary>
    public IReadOnlyList<BackendMemberStatus> BackendMembers
    {
        get
        {
            var serving = _plan.Serving;
            return
            [
                .. serving.Plan.Clusters
                    .SelectMany(c => serving.Clusters[c.Index].Report().Select(m => new BackendMemberStatus(
                        c.GatewayId, Network.ResourceIds.LastSegment(m.State.Member.PoolId), m.State.Member.Address, m.Health.ToString(), m.State.Log)))
                    .DistinctBy(m => (m.GatewayId.ToUpperInvariant(), m.BackendPoolName, m.Address)),
            ];
        }
    }

    /// <summary>What is bound now, one entry per listener.</summary>
    public IReadOnlyList<ListenerEndpoint> Endpoints => _endpoints;

    /// <summary>Plans in memory: the one serving, and retired ones that connections or requests still use.</summary>
    public int PlansAlive => _plan.PlansAlive;

    /// <summary>
    /// Starts servers for new local sockets, then swaps the plan in (the TLS callback and the request path
    /// read it per connection and per request), then drains servers whose socket is gone. If a socket cannot
    /// be bound, the servers started for this plan are stopped and the previous plan keeps serving. The host owns
    /// the plan once this returns (it disposes it when retired and drained); when this throws, the caller still does.
    /// </summary>
    public async Task ApplyAsync(GatewayPlan plan, CancellationToken cancellationToken = default)
    {
        await _applying.WaitAsync(cancellationToken);
        try
        {
            // Before new ports open, so that they serve the new plan as soon as it can be swapped in.
            var errorPages = await _errorPages.FetchAsync(plan.CustomErrorPageUrls, cancellationToken);
            var next = new Dictionary<PortBinding, PortServer>();
            try
            {
                foreach (var binding in plan.Ports.Keys)
                {
                    next[binding] = _servers.TryGetValue(binding, out var running)
                        ? running
                        : await PortServer.StartAsync(binding, _plan, _router, _connections, _metrics, _loggerFactory, cancellationToken);
                }
            }
            catch
            {
                foreach (var (binding, server) in next)
                    if (!_servers.ContainsKey(binding)) await server.DisposeAsync();
                throw;
            }

            var clusters = UpdateClusters(plan);
            _plan.Swap(plan, [.. plan.Clusters.Select(c => clusters[c.Key])], errorPages);
            var retiredClusters = _clusters.Where(c => !clusters.ContainsKey(c.Key)).Select(c => c.Value).ToList();
            _clusters = clusters;
            foreach (var cluster in retiredClusters) await cluster.DisposeAsync();
            var retired = _servers.Where(s => !next.ContainsKey(s.Key)).Select(s => s.Value).ToList();
            _servers = next;
            _endpoints = Describe(plan, next);
            _logger.LogInformation("Gateway plan applied: {Listeners} listeners on {Ports} local ports, {Retired} ports retired.",
                _endpoints.Count, next.Count, retired.Count);
            foreach (var server in retired) await server.DisposeAsync();
        }
        finally
        {
            _applying.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _applying.WaitAsync();
        try
        {
            foreach (var server in _servers.Values) await server.DisposeAsync();
            foreach (var cluster in _clusters.Values) await cluster.DisposeAsync();
            _servers = [];
            _clusters = [];
            _endpoints = [];
            _plan.Clear();
        }
        finally
        {
            _applying.Release();
        }
        await _forwarding.DisposeAsync();
        foreach (var (client, tls) in _backendClients.Values)
        {
            client.Dispose();
            tls.Dispose();
        }
        _ocsp.Dispose();
        // After the servers stopped, so the log holds every request they served.
        if (_accessLog is not null) await _accessLog.DisposeAsync();
        if (_firewallLog is not null) await _firewallLog.DisposeAsync();
        _metrics.Dispose();
        _errorPages.Dispose();
    }

    /// <summary>The Key Vault certificates the serving plan could not read, with the listeners that are disabled for it.</summary>
    public IReadOnlyList<UnreadableCertificate> UnreadableCertificates => _plan.Serving.Plan.UnreadableCertificates;

    /// <summary>The gateways of the serving plan that have pools in use, each probed here.</summary>
    public IReadOnlyList<string> ProbedGatewayIds => [.. _plan.Serving.Plan.Clusters.Select(c => c.GatewayId).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>
    /// Backend health of one gateway, as the backendhealth API reports it: pool, then settings, then servers, for
    /// every pair a rule uses (a load distribution policy's members under their own pools). Health is what the last
    /// probes and failed connections said, not probed per call.
    /// </summary>
    public BackendHealthReport BackendHealth(string gatewayId)
    {
        var serving = _plan.Serving;
        var pools = serving.Plan.Clusters
            .Where(c => string.Equals(c.GatewayId, gatewayId, StringComparison.OrdinalIgnoreCase))
            .SelectMany(c => c.PoolIds.Select(pool => (Pool: pool, c.SettingsId, Servers: serving.Clusters[c.Index].Report()
                .Where(m => string.Equals(m.State.Member.PoolId, pool, StringComparison.OrdinalIgnoreCase))
                .Select(m => new BackendServerHealth(m.State.Member.Address, m.Health.ToString(), m.State.Log)))))
            .GroupBy(e => e.Pool, StringComparer.OrdinalIgnoreCase)
            .Select(pool => new BackendPoolHealth(new ResourceReference(pool.First().Pool),
                [.. pool.GroupBy(e => e.SettingsId, StringComparer.OrdinalIgnoreCase).Select(settings => new BackendSettingsHealth(new ResourceReference(settings.First().SettingsId),
                    [.. settings.SelectMany(e => e.Servers).DistinctBy(s => s.Address, StringComparer.OrdinalIgnoreCase)]))]));
        return new BackendHealthReport([.. pools]);
    }

    /// <summary>Keeps the state of pairs the new plan still has (health, positions, draining), starts probers for new ones.</summary>
    private Dictionary<ClusterKey, ClusterState> UpdateClusters(GatewayPlan plan)
    {
        var clusters = new Dictionary<ClusterKey, ClusterState>();
        foreach (var cluster in plan.Clusters)
        {
            var (client, tls) = BackendClientFor(cluster.Tls);
            if (_clusters.TryGetValue(cluster.Key, out var state)) state.Update(cluster, client, tls);
            else state = new ClusterState(cluster, client, tls, TimeProvider.System);
            clusters[cluster.Key] = state;
        }
        return clusters;
    }

    /// <summary>Kept for the host's life: requests of an older plan may still be using a client, and there are only a few.</summary>
    private (HttpMessageInvoker Client, BackendTls Tls) BackendClientFor(BackendTls tls)
    {
        if (_backendClients.TryGetValue(tls.Identity, out var known)) return known;
        // The client outlives the plan, whose roots are disposed with it: it judges with copies of its own.
        var own = tls.Copy();
        var client = BackendClient.Create(own);
        _backendClients[tls.Identity] = (client, own);
        return (client, own);
    }

    private static IReadOnlyList<ListenerEndpoint> Describe(GatewayPlan plan, Dictionary<PortBinding, PortServer> servers) =>
    [
        .. plan.Ports.Values
            .SelectMany(port => port.Listeners.Select(listener => new ListenerEndpoint(listener.GatewayId, listener.Name,
                listener.FrontendPort, servers[port.Binding].LocalEndPoint, listener.Protocol)))
            .OrderBy(endpoint => endpoint.LocalEndPoint.Port),
    ];
}
