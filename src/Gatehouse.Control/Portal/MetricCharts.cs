using System.Globalization;
using Gatehouse.Control.Monitoring;

namespace Gatehouse.Control.Portal;

/// <summary>
/// A gateway's metrics as line charts drawn on the server in SVG (the portal runs no inline script and loads nothing from
/// elsewhere): Azure's Application Gateway metrics over the last hour by minute, or the last 5 minutes by 10 seconds.
/// Each series is a polyline whose points are the intervals' values; the unfinished interval is the last point.
/// </summary>
internal static class MetricCharts
{
    public const string Part = "metrics";

    /// <summary>The query parameter choosing the time range: <c>5m</c> for the last 5 minutes, anything else the last hour.</summary>
    public const string RangeParameter = "metrics";

    private const int Width = 460, Height = 150, Left = 56, Right = 8, Top = 8, Bottom = 22;
    private static readonly string[] Colours = ["#0b57a4", "#17702b", "#b35c00", "#a40000", "#6b3fa0", "#00777a"];

    // Which metrics are per gateway in Gatehouse's meter, and which belong to the whole serve (connections are accepted
    // per local port, before any gateway's listener is chosen).
    private static readonly Chart[] Shown =
    [
        new("TotalRequests", "requests", g => Series(g, "TotalRequests", null, Count)),
        new("FailedRequests", "requests", g => Series(g, "FailedRequests", null, Count)),
        new("ResponseStatus", "responses", g => Series(g, "ResponseStatus", "HttpStatusGroup", Count)),
        new("Throughput", "bytes/s", g => Sum(Series(g, "BytesReceived", null, PerSecond), Series(g, "BytesSent", null, PerSecond), "received + sent")),
        new("CurrentConnections", "connections (whole serve)", g => Series(g with { GatewayId = "" }, "CurrentConnections", null, Level)),
        new("NewConnectionsPerSecond", "connections/s (whole serve)", g => Series(g with { GatewayId = "" }, "NewConnections", null, PerSecond)),
        new("BackendLastByteResponseTime", "ms", g => Percentiles(g, "BackendLastByteResponseTime")),
        new("HealthyHostCount", "hosts", g => Series(g, "HealthyHostCount", "BackendPool", Level)),
        new("UnhealthyHostCount", "hosts", g => Series(g, "UnhealthyHostCount", "BackendPool", Level)),
    ];

    /// <summary>The charts with their time-range choice, refreshed in place on the page.</summary>
    public static Html Region(string gatewayId, MetricHistory? history, string? range, string path) => LiveParts.Region(Part, "Metrics", "metrics",
        (int)MetricHistory.FineGrain.TotalSeconds, Charts(gatewayId, history, range), Html.Of($"""
            <form method="get" action="{path}#metrics-heading"><label for="metrics-range">Time range</label>
            <select id="metrics-range" name="{RangeParameter}"><option value="1h"{Selected(range != "5m")}>Last hour (1 minute)</option><option value="5m"{Selected(range == "5m")}>Last 5 minutes (10 seconds)</option></select>
            <button type="submit">Change range</button></form>
            """));

    public static Html Charts(string gatewayId, MetricHistory? history, string? range)
    {
        if (history is null) return Html.Of($"<p>Not available: metrics are not kept (serve --no-metrics).</p>");
        var grain = range == "5m" ? MetricHistory.FineGrain : MetricHistory.CoarseGrain;
        var intervals = history.Intervals(grain);
        // The axis spans the whole range, so that a young server's few intervals sit at the right, where "now" is.
        var window = grain * (grain == MetricHistory.FineGrain ? MetricHistory.FineIntervals : MetricHistory.CoarseIntervals);
        var scope = new Scope(gatewayId, intervals, intervals[^1].End - window, intervals[^1].End);
        return Html.Of($"""<div class="charts">{Html.Join(Shown.Select(chart => Draw(chart, chart.Series(scope), scope)))}</div>""");
    }

    private static Html Selected(bool selected) => selected ? Html.Of($" selected") : Html.Empty;

    private static Html Draw(Chart chart, IReadOnlyList<Line> lines, Scope scope)
    {
        var points = lines.SelectMany(l => l.Values).ToList();
        var summary = lines.Count == 0 ? "no data yet"
            : string.Join("; ", lines.Select(l => $"{l.Name}: {Format(l.Values[^1].Value)} now, {Format(l.Values.Max(v => v.Value))} at most"));
        if (points.Count == 0)
            return Html.Of($"""<figure data-metric="{chart.Name}"><figcaption>{chart.Name} <small>({chart.Unit})</small></figcaption><p>No data yet.</p></figure>""");
        var start = scope.From;
        var span = Math.Max(1, (scope.To - start).TotalSeconds);
        var top = NiceCeiling(points.Max(p => p.Value));
        double X(DateTimeOffset time) => Left + (Width - Left - Right) * (time - start).TotalSeconds / span;
        double Y(double value) => Top + (Height - Top - Bottom) * (1 - value / top);
        // A marker on every point, so that a series of one interval shows as well as a line does.
        var polylines = lines.Select((line, i) => Html.Of(
            $"""<g fill="{Colours[i % Colours.Length]}"><polyline data-series="{line.Name}" fill="none" stroke="{Colours[i % Colours.Length]}" stroke-width="2" points="{string.Join(' ', line.Values.Select(v => $"{Coordinate(X(v.Time))},{Coordinate(Y(v.Value))}"))}"><title>{line.Name}</title></polyline>{Html.Join(line.Values.Select(v => Html.Of($"""<circle cx="{Coordinate(X(v.Time))}" cy="{Coordinate(Y(v.Value))}" r="2.5"/>""")))}</g>"""));
        var legend = lines.Select((line, i) => Html.Of($"""<li><span style="color:{Colours[i % Colours.Length]}">&#9644;</span> {line.Name}</li>"""));
        return Html.Of($"""
            <figure data-metric="{chart.Name}"><figcaption>{chart.Name} <small>({chart.Unit})</small></figcaption>
            <svg role="img" aria-label="{chart.Name}: {summary}" viewBox="0 0 {Width} {Height}" width="{Width}" height="{Height}">
            <line x1="{Left}" y1="{Height - Bottom}" x2="{Width - Right}" y2="{Height - Bottom}" stroke="#999"/><line x1="{Left}" y1="{Top}" x2="{Left}" y2="{Height - Bottom}" stroke="#999"/>
            <text x="{Left - 4}" y="{Top + 8}" text-anchor="end" font-size="11">{Format(top)}</text><text x="{Left - 4}" y="{Height - Bottom}" text-anchor="end" font-size="11">0</text>
            <text x="{Left}" y="{Height - 6}" font-size="11">{PortalPage.Time(start)}</text><text x="{Width - Right}" y="{Height - 6}" text-anchor="end" font-size="11">now</text>
            {Html.Join(polylines)}</svg>
            <ul class="legend">{Html.Join(legend)}</ul></figure>
            """);
    }

    private static string Coordinate(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static double NiceCeiling(double value)
    {
        if (value <= 0) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 5, 10 }.Select(step => step * magnitude).First(nice => nice >= value);
    }

    private static string Format(double value) => value switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (value / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString(value == Math.Floor(value) ? "0" : "0.##", CultureInfo.InvariantCulture),
    };

    private static double Count(MetricChange change, MetricInterval _) => change.Total;

    private static double Level(MetricChange change, MetricInterval _) => change.Total;

    private static double PerSecond(MetricChange change, MetricInterval interval) => change.Total / Math.Max(0.001, (interval.End - interval.Start).TotalSeconds);

    /// <summary>One line per value of <paramref name="splitBy"/> (one line when null), with a point for every interval that measured it.</summary>
    private static IReadOnlyList<Line> Series(Scope scope, string metric, string? splitBy, Func<MetricChange, MetricInterval, double> value)
    {
        var lines = new SortedDictionary<string, List<(DateTimeOffset, double)>>(StringComparer.Ordinal);
        foreach (var interval in scope.Intervals)
            foreach (var (name, change) in interval.Values(metric, scope.GatewayId, splitBy))
            {
                if (!lines.TryGetValue(name, out var points)) lines[name] = points = [];
                points.Add((interval.End, value(change, interval)));
            }
        return [.. lines.Select(l => new Line(l.Key.Length == 0 ? metric : l.Key, [.. l.Value.Select(p => new Point(p.Item1, p.Item2))]))];
    }

    private static IReadOnlyList<Line> Sum(IReadOnlyList<Line> first, IReadOnlyList<Line> second, string name)
    {
        var points = first.Concat(second).SelectMany(l => l.Values).GroupBy(p => p.Time).OrderBy(g => g.Key)
            .Select(g => new Point(g.Key, g.Sum(p => p.Value))).ToList();
        return points.Count == 0 ? [] : [new Line(name, points)];
    }

    private static IReadOnlyList<Line> Percentiles(Scope scope, string metric)
    {
        var p50 = new List<Point>();
        var p95 = new List<Point>();
        foreach (var interval in scope.Intervals)
            if (interval.Values(metric, scope.GatewayId).GetValueOrDefault("")?.Buckets is { } buckets
                && LatencyBuckets.Quantile(buckets, 0.5) is { } median && LatencyBuckets.Quantile(buckets, 0.95) is { } tail)
            {
                p50.Add(new(interval.End, median));
                p95.Add(new(interval.End, tail));
            }
        return p50.Count == 0 ? [] : [new Line("p50", p50), new Line("p95", p95)];
    }

    private sealed record Scope(string GatewayId, IReadOnlyList<MetricInterval> Intervals, DateTimeOffset From, DateTimeOffset To);

    private sealed record Chart(string Name, string Unit, Func<Scope, IReadOnlyList<Line>> Series);

    private sealed record Line(string Name, IReadOnlyList<Point> Values);

    private sealed record Point(DateTimeOffset Time, double Value);
}
