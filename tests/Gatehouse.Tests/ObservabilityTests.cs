using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.Control;

namespace Gatehouse.Tests;

/// <summary>What a user of a running <c>serve</c> sees of its traffic: the access log file, <c>gatehouse logs</c>, and <c>/metrics</c>.</summary>
public sealed partial class ObservabilityTests(DeployedGateway gateway) : IClassFixture<DeployedGateway>
{
    private string AccessLog => Path.Combine(gateway.DataDirectory, "logs", "access.log");

    [Fact]
    public async Task Requests_reach_the_access_log_file_and_gatehouse_logs_filters_them()
    {
        await gateway.GetThroughGatewayAsync("--cert", gateway.Certificates.ClientPem, "--key", gateway.Certificates.ClientKey, "-H", "User-Agent: with-certificate");
        await gateway.GetThroughGatewayAsync("-H", "User-Agent: without-certificate");

        var entries = await WaitForLogAsync(e => (string?)e["properties"]!["userAgent"] is "with-certificate" or "without-certificate", 2);
        var withCertificate = entries.Single(e => (string?)e["properties"]!["userAgent"] == "with-certificate")["properties"]!;
        Assert.Equal("PASSTHROUGH", (string?)withCertificate["sslClientVerify"]);
        Assert.Equal("listener2", (string?)entries[0]["listenerName"]);

        var text = await File.ReadAllTextAsync(AccessLog);
        var clientCertificate = await File.ReadAllTextAsync(gateway.Certificates.ClientPem);
        Assert.DoesNotContain(clientCertificate.Split('\n')[1], text);
        Assert.DoesNotContain(gateway.Certificates.PfxPassword, text);
        Assert.DoesNotContain(Convert.ToBase64String(await File.ReadAllBytesAsync(gateway.Certificates.ServerPfx))[..64], text);

        var passthrough = await GatehouseProcess.RunGatehouseAsync("logs", "--no-follow", "--data-dir", gateway.DataDirectory,
            "--listener", "listener2", "--status", "2xx", "--client-cert-verify", "PASSTHROUGH");
        Assert.True(passthrough.ExitCode == 0, passthrough.ToString());
        Assert.Contains("listener2 200 GET / client-cert=PASSTHROUGH", passthrough.Stdout);
        Assert.DoesNotContain("client-cert=NONE", passthrough.Stdout);
        var failed = await GatehouseProcess.RunGatehouseAsync("logs", "--no-follow", "--data-dir", gateway.DataDirectory, "--status", "5xx");
        Assert.Equal("", failed.Stdout);
    }

    [Fact]
    public async Task The_Prometheus_scrape_counts_the_requests_by_listener_and_status_group()
    {
        var before = await ScrapeAsync();
        for (var i = 0; i < 3; i++) await gateway.GetThroughGatewayAsync();
        // A request is counted as it ends, just after the client has its response: scrape until all three are in (bounded).
        var after = await ScrapeAsync();
        for (var attempt = 0; attempt < 50 && CountOf(after, "TotalRequests") - CountOf(before, "TotalRequests") < 3; attempt++)
            after = await ScrapeAsync();

        Assert.Equal(3, CountOf(after, "TotalRequests") - CountOf(before, "TotalRequests"));
        Assert.Equal(3, CountOf(after, "ResponseStatus", "HttpStatusGroup=\"2xx\"") - CountOf(before, "ResponseStatus", "HttpStatusGroup=\"2xx\""));
        Assert.Equal(3, CountOf(after, "BackendResponseStatus", "HttpStatusGroup=\"2xx\"") - CountOf(before, "BackendResponseStatus", "HttpStatusGroup=\"2xx\""));
        Assert.Matches("HealthyHostCount\\{[^}]*BackendPool=\"pool2\"[^}]*\\} 1", after);
        Assert.Contains("ApplicationGatewayTotalTime", after);
    }

    [Fact]
    public async Task Every_query_of_the_Grafana_dashboard_names_a_metric_that_the_scrape_exports()
    {
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(GatehouseProcess.RepositoryRoot, "deploy", "grafana", "gatehouse-dashboard.json")))!;
        var queries = dashboard["panels"]!.AsArray().SelectMany(panel => panel!["targets"]!.AsArray().Select(target => (string)target!["expr"]!))
            .Append((string)dashboard["templating"]!["list"]!.AsArray().Single(v => (string?)v!["name"] == "gateway")!["definition"]!)
            .ToList();
        // Traffic through the gateway makes every series exist: counters, the backend's duration buckets, pool health.
        await gateway.GetThroughGatewayAsync();
        var exported = (await ScrapeAsync()).Split('\n').Select(line => SampleName().Match(line)).Where(m => m.Success).Select(m => m.Value).ToHashSet();

        var named = queries.SelectMany(query => MetricName().Matches(Grouping().Replace(query, "")).Select(m => m.Groups["metric"].Value)).ToHashSet();

        Assert.True(named.Count >= 10, string.Join(", ", named));
        Assert.All(named, metric => Assert.True(exported.Contains(metric), $"The dashboard queries {metric}, which /metrics does not export: {string.Join(", ", exported)}"));
    }

    [Fact]
    public async Task The_Prometheus_scrape_shows_the_deployed_plan_as_the_one_plan_alive()
    {
        var scrape = await ScrapeAsync();

        Assert.Matches("(?m)^PlansAlive(\\{[^}]*\\})? 1(\\s|$)", scrape);
    }

    private async Task<string> ScrapeAsync()
    {
        var url = ServeRegistration.Read(gateway.DataDirectory)!;
        var result = await GatehouseProcess.CurlAsync("--fail", "--cacert", Path.Combine(gateway.DataDirectory, ManagementServer.CaFileName), new Uri(url, "metrics").ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout;
    }

    /// <summary>The sum of the metric's samples on listener2 (and with <paramref name="label"/> when given).</summary>
    private static double CountOf(string scrape, string metric, string? label = null) => scrape.Split('\n')
        .Where(line => Sample().Match(line) is { Success: true } m && m.Groups["name"].Value.StartsWith(metric + "_total", StringComparison.Ordinal)
            && line.Contains("Listener=\"listener2\"", StringComparison.Ordinal) && (label is null || line.Contains(label, StringComparison.Ordinal)))
        .Sum(line => double.Parse(Sample().Match(line).Groups["value"].Value, CultureInfo.InvariantCulture));

    /// <summary>Lines of the access log that match, once at least <paramref name="count"/> are there (bounded: the writer flushes as it drains).</summary>
    private async Task<List<JsonNode>> WaitForLogAsync(Func<JsonNode, bool> match, int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            var entries = File.Exists(AccessLog)
                ? (await File.ReadAllLinesAsync(AccessLog)).Select(line => JsonNode.Parse(line)!).Where(match).ToList()
                : [];
            if (entries.Count >= count || attempt == 100) return entries;
            await Task.Delay(100);
        }
    }

    [GeneratedRegex("^[A-Za-z_:][A-Za-z0-9_:]*(?=[{ ])")]
    private static partial Regex SampleName();

    // A series selector: a name before its label matchers or range, alone in parentheses, or label_values' first
    // argument. Functions are followed by "(", and label names sit inside braces or in the grouping removed first.
    [GeneratedRegex(@"(?<metric>[A-Za-z_:][A-Za-z0-9_:]*)(?=\{|\[|,)|(?<=\(\s*)(?<metric>[A-Za-z_:][A-Za-z0-9_:]*)(?=\s*\))")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"\b(by|without)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex("^(?<name>[A-Za-z_:][A-Za-z0-9_:]*)\\{.*\\} (?<value>[0-9.eE+-]+)")]
    private static partial Regex Sample();
}
