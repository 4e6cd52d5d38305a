using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Gatehouse.Control.Monitoring;

/// <summary>
/// The gateway meter's instruments summed per gateway since the server started, for the ARM metrics route and the
/// portal's charts. Measurements arrive on the request path, so they are keyed by reference (no hashing of long ids)
/// and merged when read; observable instruments are asked only when read, and kept apart by their other dimensions
/// (status group, pool) so that a chart can split them.
/// </summary>
internal sealed class MetricReadings : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, Instrument> _instruments = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<SeriesKey, Aggregate> _aggregates = new(SeriesKey.Comparer.Instance);
    private readonly Lock _observing = new();

    public MetricReadings(string meterName, string resourceIdTag)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name != meterName) return;
            _instruments[instrument.Name] = instrument;
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Measure(instrument, value, tags, resourceIdTag));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Measure(instrument, value, tags, resourceIdTag));
        _listener.Start();
    }

    public DateTimeOffset Since { get; } = DateTimeOffset.UtcNow;

    public IEnumerable<string> Names => _instruments.Keys.Order(StringComparer.Ordinal);

    public Instrument? Find(string name) => _instruments.GetValueOrDefault(name);

    /// <summary>
    /// What <paramref name="instrument"/> measured for the gateway. Observable instruments report a current value (one per
    /// pool, say), not a change, so they are asked afresh and read as one reading of the gateway's sum.
    /// </summary>
    public MetricValue Read(Instrument instrument, string resourceId)
    {
        if (!instrument.IsObservable) return Merge(instrument, resourceId);
        lock (_observing)
        {
            foreach (var key in _aggregates.Keys.Where(k => k.Instrument.IsObservable)) _aggregates.TryRemove(key, out _);
            _listener.RecordObservableInstruments();
            var total = Merge(instrument, resourceId).Total;
            return new MetricValue(total, 1, total, total);
        }
    }

    /// <summary>Every instrument's reading now, per gateway and dimensions: cumulative for counters and histograms, current for gauges.</summary>
    public IReadOnlyList<MetricSample> Sample()
    {
        lock (_observing)
        {
            foreach (var key in _aggregates.Keys.Where(k => k.Instrument.IsObservable)) _aggregates.TryRemove(key, out _);
            _listener.RecordObservableInstruments();
            return [.. _aggregates.Select(a => new MetricSample(a.Key.Instrument.Name, MetricKinds.Of(a.Key.Instrument), a.Key.ResourceId,
                a.Key.Dimensions, a.Value.Value, a.Value.Buckets))];
        }
    }

    public void Dispose() => _listener.Dispose();

    private MetricValue Merge(Instrument instrument, string resourceId) => _aggregates
        .Where(a => a.Key.Instrument == instrument && a.Key.ResourceId.Equals(resourceId, StringComparison.OrdinalIgnoreCase))
        .Select(a => a.Value.Value)
        .Aggregate(MetricValue.None, MetricValue.Combine);

    private void Measure<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, string resourceIdTag)
        where T : struct, IConvertible
    {
        var resourceId = "";
        foreach (var tag in tags)
            if (tag.Key == resourceIdTag) resourceId = tag.Value as string ?? "";
        // Only observable instruments (read on demand, off the request path) pay for naming their other dimensions.
        var dimensions = instrument.IsObservable ? MetricDimensionSet.Of(tags, resourceIdTag) : MetricDimensionSet.None;
        _aggregates.GetOrAdd(new SeriesKey(instrument, resourceId, dimensions), key => new Aggregate(MetricKinds.Of(key.Instrument) == MetricKind.Distribution))
            .Add(value.ToDouble(null));
    }

    private sealed class Aggregate(bool distribution)
    {
        private readonly Lock _lock = new();
        private readonly long[]? _buckets = distribution ? new long[LatencyBuckets.Count] : null;
        private MetricValue _value = MetricValue.None;

        public MetricValue Value { get { lock (_lock) return _value; } }

        public long[]? Buckets { get { lock (_lock) return _buckets?.ToArray(); } }

        public void Add(double measurement)
        {
            lock (_lock)
            {
                _value = MetricValue.Combine(_value, new MetricValue(measurement, 1, measurement, measurement));
                if (_buckets is not null) _buckets[LatencyBuckets.Of(measurement)]++;
            }
        }
    }

    /// <summary>Instrument and resource id by reference (they are the same objects on every request), dimensions by value.</summary>
    private readonly record struct SeriesKey(Instrument Instrument, string ResourceId, MetricDimensionSet Dimensions)
    {
        public sealed class Comparer : IEqualityComparer<SeriesKey>
        {
            public static Comparer Instance { get; } = new();

            public bool Equals(SeriesKey x, SeriesKey y) =>
                ReferenceEquals(x.Instrument, y.Instrument) && ReferenceEquals(x.ResourceId, y.ResourceId) && x.Dimensions.Equals(y.Dimensions);

            public int GetHashCode(SeriesKey key) =>
                HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Instrument),
                    System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.ResourceId), key.Dimensions);
        }
    }
}

/// <summary>Azure Monitor's aggregations of the measurements: total, count, minimum, maximum (and their average).</summary>
internal readonly record struct MetricValue(double Total, long Count, double Minimum, double Maximum)
{
    public static MetricValue None { get; } = new(0, 0, double.NaN, double.NaN);

    public double Average => Count == 0 ? 0 : Total / Count;

    public static MetricValue Combine(MetricValue a, MetricValue b) => new(a.Total + b.Total, a.Count + b.Count,
        a.Count == 0 ? b.Minimum : b.Count == 0 ? a.Minimum : Math.Min(a.Minimum, b.Minimum),
        a.Count == 0 ? b.Maximum : b.Count == 0 ? a.Maximum : Math.Max(a.Maximum, b.Maximum));
}
