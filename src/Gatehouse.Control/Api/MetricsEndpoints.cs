using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;
using Gatehouse.Control.Monitoring;
using Gatehouse.Control.Store;
using Gatehouse.Errors;

namespace Gatehouse.Control.Api;

/// <summary>
/// Azure Monitor's metrics route for a gateway (<c>.../applicationGateways/{name}/providers/Microsoft.Insights/metrics</c>,
/// api-version 2018-01-01), in its response shape, as <c>az monitor metrics list</c> reads it: one data point per
/// <c>interval</c> (whole minutes, PT1M when omitted, or FULL) over <c>timespan</c> (the last hour when omitted), from the
/// last hour that <see cref="MetricHistory"/> keeps; points before it, or before the server started, carry no values.
/// </summary>
internal static partial class MetricsEndpoints
{
    private const string Route = "/resourcegroups/{resourceGroupName}/providers/Microsoft.Network/applicationGateways/{gatewayName}/providers/Microsoft.Insights/metrics";
    private static readonly string[] Aggregations = ["Total", "Average", "Count", "Minimum", "Maximum"];

    public static void MapMetricsEndpoints(this RouteGroupBuilder subscription) =>
        subscription.MapGet(Route, (string subscriptionId, string resourceGroupName, string gatewayName, HttpRequest request, IResourceStore store,
            MetricReadings readings, MetricHistory history, TimeProvider time) =>
        {
            var group = ResourceGroupEndpoints.Find(store, subscriptionId, resourceGroupName);
            var id = ResourceIdentifier.ResourceId(group.SubscriptionId, group.Name, $"Microsoft.Network/applicationGateways/{gatewayName}");
            var gateway = store.GetResource(id) ?? throw new ArmException("ResourceNotFound",
                $"The Resource 'Microsoft.Network/applicationGateways/{gatewayName}' under resource group '{group.Name}' was not found.");
            var instruments = Split(request.Query["metricnames"].ToString())
                .Select(name => readings.Find(name) ?? throw new ArmException("BadRequest",
                    $"Failed to find metric configuration for provider: Microsoft.Network, resource Type: applicationGateways, metric: {name}, " +
                    $"Valid metrics: {string.Join(',', readings.Names)}"))
                .ToList();
            var requested = Split(request.Query["aggregation"].ToString())
                .Select(a => Aggregations.FirstOrDefault(known => known.Equals(a, StringComparison.OrdinalIgnoreCase))
                    ?? throw new ArmException("BadRequest", $"Invalid aggregation '{a}'. Valid aggregations: {string.Join(',', Aggregations)}"))
                .ToList();
            var (from, to) = Timespan(request.Query["timespan"].ToString(), time.GetUtcNow());
            var interval = Interval(request.Query["interval"].ToString(), to - from);
            var minutes = history.Intervals(MetricHistory.CoarseGrain);
            return ArmResponses.Json(new JsonObject
            {
                ["cost"] = 0,
                ["timespan"] = $"{ArmResponses.Iso8601(from)}/{ArmResponses.Iso8601(to)}",
                ["interval"] = ArmResponses.Iso8601(interval),
                ["value"] = new JsonArray([.. instruments.Select(instrument => (JsonNode)Metric(gateway.Id, instrument,
                    Points(minutes, instrument.Name, gateway.Id, from, to, interval), requested.Count > 0 ? requested : [DefaultAggregation(instrument)]))]),
                ["namespace"] = "Microsoft.Network/applicationGateways",
                ["resourceregion"] = gateway.Body["location"]?.DeepClone(),
            });
        });

    /// <summary>Each point's time and what the minutes starting in it measured; null where no reading started in it.</summary>
    private static IEnumerable<(DateTimeOffset Time, MetricChange? Value)> Points(IReadOnlyList<MetricInterval> minutes, string metric, string gatewayId,
        DateTimeOffset from, DateTimeOffset to, TimeSpan interval)
    {
        for (var point = from; point < to; point += interval)
        {
            var end = point + interval;
            // Readings fall a little after their minute's start, so an interval belongs to the point it starts in.
            var covered = minutes.Where(m => m.Start >= point && m.Start < end).ToList();
            yield return (point, covered.Count == 0 ? null : covered
                .Select(m => m.Values(metric, gatewayId).GetValueOrDefault("") ?? new MetricChange(0, 0, null))
                .Aggregate((a, b) => a.Plus(b)));
        }
    }

    private static JsonObject Metric(string gatewayId, Instrument instrument, IEnumerable<(DateTimeOffset Time, MetricChange? Value)> points, IReadOnlyList<string> aggregations)
    {
        var kind = MetricKinds.Of(instrument);
        var data = new JsonArray();
        foreach (var (time, value) in points)
        {
            var point = new JsonObject { ["timeStamp"] = ArmResponses.Iso8601(time) };
            if (value is not null)
                foreach (var aggregation in aggregations)
                    point[aggregation.ToLowerInvariant()] = Aggregate(aggregation, kind, value);
            data.Add(point);
        }
        return new JsonObject
        {
            ["id"] = $"{gatewayId}/providers/Microsoft.Insights/metrics/{instrument.Name}",
            ["type"] = "Microsoft.Insights/metrics",
            ["name"] = new JsonObject { ["value"] = instrument.Name, ["localizedValue"] = Words().Replace(instrument.Name, " $1") },
            ["displayDescription"] = instrument.Description ?? "",
            ["unit"] = instrument.Unit switch { "ms" => "MilliSeconds", "By" => "Bytes", _ => "Count" },
            ["timeseries"] = new JsonArray(new JsonObject { ["metadatavalues"] = new JsonArray(), ["data"] = data }),
            ["errorCode"] = "Success",
        };
    }

    /// <summary>
    /// A running total's interval value is what was added; a level's readings are averaged; durations give their
    /// count, sum and average, and (from their buckets) a minimum and maximum to within a bucket.
    /// </summary>
    private static double? Aggregate(string aggregation, MetricKind kind, MetricChange value) => (aggregation, kind) switch
    {
        ("Total", _) => value.Total,
        ("Count", _) => value.Count,
        ("Average", MetricKind.Cumulative) => value.Total,
        ("Average", _) => value.Average,
        (_, MetricKind.Distribution) when value.Buckets is { } buckets => LatencyBuckets.Quantile(buckets, aggregation == "Minimum" ? 0 : 1),
        (_, MetricKind.Distribution) => null,
        _ => value.Count == 0 ? null : value.Average,
    };

    /// <summary>Azure's defaults: counts are totalled, times and host counts averaged.</summary>
    private static string DefaultAggregation(Instrument instrument) => MetricKinds.Of(instrument) == MetricKind.Cumulative ? "Total" : "Average";

    /// <summary>
    /// <c>start/end</c> in ISO 8601 (the CLI sends local-less UTC times, and encodes the value once more than the URL
    /// needs), or the last hour; the start is rounded down to a whole minute, as Azure aligns points.
    /// </summary>
    private static (DateTimeOffset From, DateTimeOffset To) Timespan(string timespan, DateTimeOffset now)
    {
        if (timespan.Contains('%')) timespan = Uri.UnescapeDataString(timespan);
        DateTimeOffset from, to;
        if (timespan.Length == 0) (from, to) = (now - TimeSpan.FromHours(1), now);
        else if (timespan.Split('/') is [var start, var end]
            && DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out from)
            && DateTimeOffset.TryParse(end, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out to)
            && from < to) { }
        else throw new ArmException("BadRequest", $"Invalid timespan '{timespan}': expected 'start/end' in ISO 8601, the start before the end.");
        return (new DateTimeOffset(from.UtcTicks - from.UtcTicks % MetricHistory.CoarseGrain.Ticks, TimeSpan.Zero), to.ToUniversalTime());
    }

    private static TimeSpan Interval(string interval, TimeSpan span)
    {
        if (interval.Length == 0) return MetricHistory.CoarseGrain;
        if (interval.Equals("FULL", StringComparison.OrdinalIgnoreCase)) return span;
        try
        {
            var parsed = XmlConvert.ToTimeSpan(interval);
            if (parsed >= MetricHistory.CoarseGrain && parsed.Ticks % MetricHistory.CoarseGrain.Ticks == 0) return parsed;
        }
        catch (FormatException)
        {
        }
        throw new ArmException("BadRequest", $"Invalid interval '{interval}': expected a whole number of minutes in ISO 8601 (PT1M, PT5M, PT1H, ...) or FULL.");
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex Words();
}
