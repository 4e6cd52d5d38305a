using System.Diagnostics.Metrics;

namespace Gatehouse.Control.Monitoring;

/// <summary>How an instrument's readings add up over time.</summary>
internal enum MetricKind
{
    /// <summary>A running total (requests, bytes): an interval's value is the difference of two readings.</summary>
    Cumulative,

    /// <summary>Measured durations: an interval's count, sum and latency buckets are differences of two readings.</summary>
    Distribution,

    /// <summary>A current level (open connections, healthy hosts): an interval's value is what was read in it.</summary>
    Level,
}

internal static class MetricKinds
{
    public static MetricKind Of(Instrument instrument)
    {
        if (!instrument.GetType().IsGenericType) return MetricKind.Level;
        var kind = instrument.GetType().GetGenericTypeDefinition();
        return kind == typeof(Counter<>) || kind == typeof(ObservableCounter<>) ? MetricKind.Cumulative
            : kind == typeof(Histogram<>) ? MetricKind.Distribution
            : MetricKind.Level;
    }
}

/// <summary>One instrument's reading for one gateway and one set of other dimensions (empty for instruments measured per request).</summary>
internal sealed record MetricSample(string Name, MetricKind Kind, string ResourceId, MetricDimensionSet Dimensions, MetricValue Value, long[]? Buckets);

/// <summary>A measurement's dimensions other than the gateway's id, compared by value.</summary>
internal sealed class MetricDimensionSet : IEquatable<MetricDimensionSet>
{
    private readonly KeyValuePair<string, string>[] _values;
    private readonly int _hash;

    private MetricDimensionSet(KeyValuePair<string, string>[] values)
    {
        _values = values;
        var hash = new HashCode();
        foreach (var (name, value) in values)
        {
            hash.Add(name, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }
        _hash = hash.ToHashCode();
    }

    public static MetricDimensionSet None { get; } = new([]);

    public static MetricDimensionSet Of(ReadOnlySpan<KeyValuePair<string, object?>> tags, string excluded)
    {
        var values = new List<KeyValuePair<string, string>>(tags.Length);
        foreach (var tag in tags)
            if (tag.Key != excluded) values.Add(new(tag.Key, Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
        return values.Count == 0 ? None : new([.. values.OrderBy(v => v.Key, StringComparer.Ordinal)]);
    }

    /// <summary>The value of one dimension, or an empty string when the measurement did not carry it.</summary>
    public string this[string name] => _values.FirstOrDefault(v => v.Key == name).Value ?? "";

    public bool Equals(MetricDimensionSet? other) =>
        other is not null && (ReferenceEquals(this, other) || _hash == other._hash && _values.SequenceEqual(other._values));

    public override bool Equals(object? obj) => Equals(obj as MetricDimensionSet);

    public override int GetHashCode() => _hash;
}

/// <summary>
/// Durations in buckets a quarter-octave wide from 10 microseconds up (the last one open-ended), so that a percentile of
/// any interval is the difference of two readings, within about 19% of the true value, up to 140 s, at 768 bytes per series.
/// </summary>
internal static class LatencyBuckets
{
    public const int Count = 96;

    private const double SmallestMs = 0.01;

    public static int Of(double milliseconds) =>
        milliseconds <= SmallestMs ? 0 : Math.Min(Count - 1, 1 + (int)(4 * Math.Log2(milliseconds / SmallestMs)));

    /// <summary>The upper edge of <paramref name="bucket"/>, in milliseconds.</summary>
    public static double UpperBound(int bucket) => SmallestMs * Math.Pow(2, bucket / 4.0);

    /// <summary>The duration below which <paramref name="quantile"/> of the counted ones fall, at its bucket's upper edge; null when none were counted.</summary>
    public static double? Quantile(IReadOnlyList<long> counts, double quantile)
    {
        var total = counts.Sum();
        if (total == 0) return null;
        var rank = Math.Ceiling(quantile * total);
        long seen = 0;
        for (var bucket = 0; bucket < counts.Count; bucket++)
            if ((seen += counts[bucket]) >= rank) return UpperBound(bucket);
        return UpperBound(counts.Count - 1);
    }
}
