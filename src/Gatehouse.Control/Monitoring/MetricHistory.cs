namespace Gatehouse.Control.Monitoring;

/// <summary>
/// The recent past of every metric, in a fixed budget: a reading every 10 seconds for the last 5 minutes and every minute
/// for the last hour, on whole 10-second and minute boundaries (as Azure Monitor's time grains fall). An interval's value
/// is the difference of the readings that bound it, so the newest, unfinished interval is read against a fresh reading.
/// </summary>
internal sealed class MetricHistory : IAsyncDisposable
{
    public static readonly TimeSpan FineGrain = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan CoarseGrain = TimeSpan.FromMinutes(1);
    public const int FineIntervals = 30;
    public const int CoarseIntervals = 60;

    private readonly MetricReadings _readings;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    // Readings oldest first, one more than the intervals they bound.
    private readonly Queue<Reading> _fine = new();
    private readonly Queue<Reading> _coarse = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sampling;

    public MetricHistory(MetricReadings readings, TimeProvider time)
    {
        _readings = readings;
        _time = time;
        var start = Read();
        _fine.Enqueue(start);
        _coarse.Enqueue(start);
        _sampling = SampleAsync(_stopping.Token);
    }

    /// <summary>The intervals of the last 5 minutes (<see cref="FineGrain"/>) or hour (<see cref="CoarseGrain"/>), oldest first, the unfinished one last.</summary>
    public IReadOnlyList<MetricInterval> Intervals(TimeSpan grain)
    {
        Reading[] readings;
        lock (_lock) readings = [.. grain == FineGrain ? _fine : _coarse];
        readings = [.. readings, Read()];
        return [.. readings.Zip(readings.Skip(1), (from, to) => new MetricInterval(from.Time, to.Time, from.Samples, to.Samples))];
    }

    private Reading Read() => new(_time.GetUtcNow(), _readings.Sample());

    private async Task SampleAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                var now = _time.GetUtcNow();
                var next = new DateTimeOffset(now.UtcTicks - now.UtcTicks % FineGrain.Ticks, TimeSpan.Zero) + FineGrain;
                await Task.Delay(next - now, _time, stopping);
                var reading = Read();
                lock (_lock)
                {
                    Keep(_fine, reading, FineIntervals);
                    if (reading.Time.UtcTicks / CoarseGrain.Ticks != _coarse.Last().Time.UtcTicks / CoarseGrain.Ticks) Keep(_coarse, reading, CoarseIntervals);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private static void Keep(Queue<Reading> readings, Reading reading, int intervals)
    {
        readings.Enqueue(reading);
        while (readings.Count > intervals + 1) readings.Dequeue();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _sampling;
        _stopping.Dispose();
    }

    private sealed record Reading(DateTimeOffset Time, IReadOnlyList<MetricSample> Samples);
}

/// <summary>What the meter measured between two readings.</summary>
internal sealed class MetricInterval(DateTimeOffset start, DateTimeOffset end, IReadOnlyList<MetricSample> first, IReadOnlyList<MetricSample> last)
{
    public DateTimeOffset Start => start;

    public DateTimeOffset End => end;

    /// <summary>
    /// <paramref name="metric"/> of one gateway in this interval, split by <paramref name="splitBy"/> (a dimension; null: one
    /// series). Levels are taken from the interval's closing reading; running totals and durations are what was added.
    /// </summary>
    public IReadOnlyDictionary<string, MetricChange> Values(string metric, string resourceId, string? splitBy = null)
    {
        var changes = new Dictionary<string, MetricChange>(StringComparer.Ordinal);
        foreach (var sample in last.Where(s => Matches(s, metric, resourceId)))
        {
            var split = splitBy is null ? "" : sample.Dimensions[splitBy];
            var before = sample.Kind == MetricKind.Level ? null
                : first.FirstOrDefault(s => Matches(s, metric, resourceId) && s.Dimensions.Equals(sample.Dimensions));
            var change = MetricChange.Between(before, sample);
            changes[split] = changes.TryGetValue(split, out var other) ? other.Plus(change) : change;
        }
        return changes;
    }

    private static bool Matches(MetricSample sample, string metric, string resourceId) =>
        sample.Name.Equals(metric, StringComparison.OrdinalIgnoreCase) && sample.ResourceId.Equals(resourceId, StringComparison.OrdinalIgnoreCase);
}

/// <summary>An interval's value of one series: its total, count and latency buckets (for durations).</summary>
internal sealed record MetricChange(double Total, long Count, long[]? Buckets)
{
    public double Average => Count == 0 ? 0 : Total / Count;

    public static MetricChange Between(MetricSample? before, MetricSample after) => new(
        after.Value.Total - (before?.Value.Total ?? 0),
        after.Value.Count - (before?.Value.Count ?? 0),
        after.Buckets is { } buckets ? [.. buckets.Select((count, i) => count - (before?.Buckets?[i] ?? 0))] : null);

    public MetricChange Plus(MetricChange other) => new(Total + other.Total, Count + other.Count,
        Buckets is null || other.Buckets is null ? Buckets ?? other.Buckets : [.. Buckets.Zip(other.Buckets, (a, b) => a + b)]);
}
