using System.Diagnostics.Metrics;
using System.Net;

namespace Gatehouse.Control.Tests;

/// <summary>Azure Monitor's metrics route for a deployed gateway, over what the data plane's meter measured.</summary>
public sealed class MetricsTests
{
    private static readonly ReferenceDeployment Reference = ReferenceDeployment.Create();

    [Fact]
    public async Task The_metrics_route_answers_in_Azure_Monitors_shape_with_the_gateways_totals()
    {
        using var meter = new Meter($"Gatehouse.Tests.{Guid.NewGuid():N}");
        var monitor = new FixedMonitor(meter.Name);
        await using var server = await RunningServer.StartAsync(monitor: monitor);
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        await server.DeployAsync("rg1", "reference", Reference.Body());
        var gatewayId = $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/applicationGateways/{ReferenceDeployment.GatewayName}";
        var requests = meter.CreateCounter<long>("TotalRequests", description: "Requests the gateway answered.");
        var time = meter.CreateHistogram<double>("ApplicationGatewayTotalTime", "ms");
        requests.Add(2, new KeyValuePair<string, object?>("ResourceId", gatewayId));
        requests.Add(1, new KeyValuePair<string, object?>("ResourceId", gatewayId));
        requests.Add(5, new KeyValuePair<string, object?>("ResourceId", "/subscriptions/other/gateway"));
        time.Record(10, new KeyValuePair<string, object?>("ResourceId", gatewayId));
        time.Record(30, new KeyValuePair<string, object?>("ResourceId", gatewayId));
        var route = $"{gatewayId}/providers/Microsoft.Insights/metrics?api-version=2018-01-01";

        var reply = await server.SendAsync(HttpMethod.Get, $"{route}&metricnames=TotalRequests,ApplicationGatewayTotalTime");
        var unknown = await server.SendAsync(HttpMethod.Get, $"{route}&metricnames=NoSuchMetric");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var metrics = reply.Json!["value"]!.AsArray();
        Assert.Equal($"{gatewayId}/providers/Microsoft.Insights/metrics/TotalRequests", (string?)metrics[0]!["id"]);
        Assert.Equal(("TotalRequests", "Total Requests", "Count"),
            ((string?)metrics[0]!["name"]!["value"], (string?)metrics[0]!["name"]!["localizedValue"], (string?)metrics[0]!["unit"]));
        // The last hour by minute, as Azure answers without timespan and interval; only the minutes since the server started carry values.
        var minutes = metrics[0]!["timeseries"]![0]!["data"]!.AsArray();
        Assert.InRange(minutes.Count, 60, 61);
        Assert.Equal(3, minutes.Sum(point => (double?)point!["total"] ?? 0));
        Assert.Null(minutes[0]!["total"]);
        Assert.Equal("MilliSeconds", (string?)metrics[1]!["unit"]);
        Assert.Equal([20.0], metrics[1]!["timeseries"]![0]!["data"]!.AsArray().Select(point => (double?)point!["average"]).OfType<double>().Where(a => a > 0));
        Assert.Equal("Microsoft.Network/applicationGateways", (string?)reply.Json["namespace"]);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Contains("TotalRequests", unknown.Text);
    }

    [Fact]
    public async Task The_metrics_route_answers_a_timespan_by_interval_and_refuses_an_interval_it_cannot_give()
    {
        using var meter = new Meter($"Gatehouse.Tests.{Guid.NewGuid():N}");
        await using var server = await RunningServer.StartAsync(monitor: new FixedMonitor(meter.Name));
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        await server.DeployAsync("rg1", "reference", Reference.Body());
        var gatewayId = $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/applicationGateways/{ReferenceDeployment.GatewayName}";
        meter.CreateCounter<long>("TotalRequests").Add(7, new KeyValuePair<string, object?>("ResourceId", gatewayId));
        var now = DateTimeOffset.UtcNow;
        // As az monitor metrics list sends it: times without a zone, the value encoded once more than the URL needs.
        var timespan = Uri.EscapeDataString(Uri.EscapeDataString($"{now.AddMinutes(-10).UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffff}/{now.AddMinutes(1).UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffff}"));
        var route = $"{gatewayId}/providers/Microsoft.Insights/metrics?api-version=2018-01-01&metricnames=TotalRequests&timespan={timespan}";

        var byFiveMinutes = await server.SendAsync(HttpMethod.Get, $"{route}&interval=PT5M&aggregation=Total,Count");
        var whole = await server.SendAsync(HttpMethod.Get, $"{route}&interval=FULL");
        var seconds = await server.SendAsync(HttpMethod.Get, $"{route}&interval=PT10S");

        Assert.Equal(HttpStatusCode.OK, byFiveMinutes.Status);
        Assert.Equal("PT5M", (string?)byFiveMinutes.Json!["interval"]);
        var points = byFiveMinutes.Json["value"]![0]!["timeseries"]![0]!["data"]!.AsArray();
        Assert.Equal(3, points.Count);
        Assert.Equal(7, points.Sum(point => (double?)point!["total"] ?? 0));
        Assert.Equal(7, (double)whole.Json!["value"]![0]!["timeseries"]![0]!["data"]!.AsArray().Single()!["total"]!);
        Assert.Equal(HttpStatusCode.BadRequest, seconds.Status);
        Assert.Contains("PT10S", seconds.Text);
    }

    [Fact]
    public async Task Metrics_are_scraped_for_Prometheus_without_a_token()
    {
        using var meter = new Meter($"Gatehouse.Tests.{Guid.NewGuid():N}");
        await using var server = await RunningServer.StartAsync(monitor: new FixedMonitor(meter.Name));
        meter.CreateCounter<long>("TotalRequests").Add(4, new KeyValuePair<string, object?>("Listener", "listener2"));

        var scrape = await server.Http.GetStringAsync("metrics");

        Assert.Contains("TotalRequests_total{", scrape);
        Assert.Contains("Listener=\"listener2\"", scrape);
    }

    private sealed record FixedMonitor(string MeterName) : IGatewayMonitor
    {
        public string ResourceIdDimension => "ResourceId";

        public IReadOnlyList<BackendMemberHealth> BackendHealth => [];

        public IReadOnlyList<UnreadableCertificateStatus> UnreadableCertificates => [];

        public IReadOnlyList<ServedListener> ServedListeners => [];

        public string? AccessLogPath => null;

        public string? FirewallLogPath => null;
    }
}
