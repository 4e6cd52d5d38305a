using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Gatehouse.Gateway.Observability;

/// <summary>
/// One listener's request counts under its metric dimensions: added to on the request path with interlocked operations
/// only, read as measurements when the meter is observed.
/// </summary>
internal sealed class RequestCounters(KeyValuePair<string, object?>[] tags)
{
    private static readonly string[] TlsProtocols = ["", "TLSv1.2", "TLSv1.3"];

    private readonly StatusGroupCounts _statusGroups = new();
    private readonly long[] _tlsProtocols = new long[TlsProtocols.Length];
    private readonly ConcurrentDictionary<string, BackendCounters> _backends = new(StringComparer.Ordinal);
    private long _total;
    private long _failed;
    private long _bytesReceived;
    private long _bytesSent;

    public KeyValuePair<string, object?>[] Tags => tags;

    public long Total => Interlocked.Read(ref _total);

    public long Failed => Interlocked.Read(ref _failed);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public void Add(int status, string tlsProtocol, long received, long sent)
    {
        Interlocked.Increment(ref _total);
        if (status >= 500) Interlocked.Increment(ref _failed);
        _statusGroups.Add(status);
        AddConnection(tlsProtocol, received, sent);
    }

    /// <summary>A layer-4 connection counts its bytes and TLS protocol, but no request and no status.</summary>
    public void AddConnection(string tlsProtocol, long received, long sent)
    {
        if (received != 0) Interlocked.Add(ref _bytesReceived, received);
        if (sent != 0) Interlocked.Add(ref _bytesSent, sent);
        var protocol = Array.IndexOf(TlsProtocols, tlsProtocol);
        if (protocol >= 0) Interlocked.Increment(ref _tlsProtocols[protocol]);
    }

    /// <summary>The pool member's counts under this listener's dimensions plus <c>BackendServer</c>.</summary>
    public BackendCounters Backend(string server) =>
        _backends.TryGetValue(server, out var backend) ? backend : _backends.GetOrAdd(server, s => new BackendCounters([.. tags, new(MetricDimensions.BackendServer, s)]));

    public IEnumerable<Measurement<long>> ByStatusGroup() => _statusGroups.Measurements(tags);

    public IEnumerable<Measurement<long>> BackendsByStatusGroup() => _backends.Values.SelectMany(b => b.ByStatusGroup());

    public IEnumerable<Measurement<long>> ByTlsProtocol() => TlsProtocols.Index()
        .Select(p => (p.Item, Count: Interlocked.Read(ref _tlsProtocols[p.Index])))
        .Where(p => p.Count > 0)
        .Select(p => new Measurement<long>(p.Count, [.. tags, new(MetricDimensions.TlsProtocol, p.Item)]));
}

/// <summary>A pool member's responses under one listener, by status group.</summary>
internal sealed class BackendCounters(KeyValuePair<string, object?>[] tags)
{
    private readonly StatusGroupCounts _statusGroups = new();

    public KeyValuePair<string, object?>[] Tags => tags;

    public void Add(int status) => _statusGroups.Add(status);

    public IEnumerable<Measurement<long>> ByStatusGroup() => _statusGroups.Measurements(tags);
}

/// <summary>Responses counted by Azure's <c>HttpStatusGroup</c>: 1xx to 5xx, and "other" for anything outside them.</summary>
internal sealed class StatusGroupCounts
{
    private static readonly string[] Groups = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"];

    private readonly long[] _counts = new long[Groups.Length];

    public void Add(int status) => Interlocked.Increment(ref _counts[status is >= 100 and < 600 ? status / 100 - 1 : Groups.Length - 1]);

    /// <summary>The groups seen so far; a group stays once seen, as a cumulative counter must.</summary>
    public IEnumerable<Measurement<long>> Measurements(KeyValuePair<string, object?>[] tags) => Groups.Index()
        .Select(g => (g.Item, Count: Interlocked.Read(ref _counts[g.Index])))
        .Where(g => g.Count > 0)
        .Select(g => new Measurement<long>(g.Count, [.. tags, new(MetricDimensions.HttpStatusGroup, g.Item)]));
}
