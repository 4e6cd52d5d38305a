using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.Control.Monitoring;
using Gatehouse.Control.Store;
using Gatehouse.Errors;

namespace Gatehouse.Control.Api;

/// <summary>
/// Azure Monitor's metrics route for a gateway (<c>.../applicationGateways/{name}/providers/Microsoft.Insights/metrics</c>,
/// api-version 2018-01-01), in its response shape. Values are totals since the server started: one data point whose
/// interval is the whole time span (Gatehouse keeps no history).
/// </summary>
internal static partial class MetricsEndpoints
{
    private const string Route = "/resourcegroups/{resourceGroupName}/providers/Microsoft.Network/applicationGateways/{gatewayName}/providers/Microsoft.Insights/metrics";
    private static readonly string[] Aggregations = ["Total", "Average", "Count", "Minimum", "Maximum"];

    public static void MapMetricsEndpoints(this RouteGroupBuilder subscription) =>
        subscription.MapGet(Route, (string subscriptionId, string resourceGroupName, string gatewayName, HttpRequest request, ResourceStore store,
            MetricReadings readings) =>
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
            var now = DateTimeOffset.UtcNow;
            return ArmResponses.Json(new JsonObject
            {
                ["cost"] = 0,
                ["timespan"] = $"{ArmResponses.Iso8601(readings.Since)}/{ArmResponses.Iso8601(now)}",
                ["interval"] = ArmResponses.Iso8601(TimeSpan.FromSeconds(Math.Ceiling((now - readings.Since).TotalSeconds))),
                ["value"] = new JsonArray([.. instruments.Select(instrument => (JsonNode)Metric(gateway.Id, instrument,
                    readings.Read(instrument, gateway.Id), requested.Count > 0 ? requested : [DefaultAggregation(instrument)], readings.Since))]),
                ["namespace"] = "Microsoft.Network/applicationGateways",
                ["resourceregion"] = gateway.Body["location"]?.DeepClone(),
            });
        });

    private static JsonObject Metric(string gatewayId, Instrument instrument, MetricValue value, IReadOnlyList<string> aggregations, DateTimeOffset since)
    {
        var point = new JsonObject { ["timeStamp"] = ArmResponses.Iso8601(since) };
        foreach (var aggregation in aggregations)
            point[aggregation.ToLowerInvariant()] = aggregation switch
            {
                "Total" => value.Total,
                "Average" => value.Average,
                "Count" => value.Count,
                "Minimum" => value.Count == 0 ? null : value.Minimum,
                _ => value.Count == 0 ? null : value.Maximum,
            };
        return new JsonObject
        {
            ["id"] = $"{gatewayId}/providers/Microsoft.Insights/metrics/{instrument.Name}",
            ["type"] = "Microsoft.Insights/metrics",
            ["name"] = new JsonObject { ["value"] = instrument.Name, ["localizedValue"] = Words().Replace(instrument.Name, " $1") },
            ["displayDescription"] = instrument.Description ?? "",
            ["unit"] = instrument.Unit switch { "ms" => "MilliSeconds", "By" => "Bytes", _ => "Count" },
            ["timeseries"] = new JsonArray(new JsonObject { ["metadatavalues"] = new JsonArray(), ["data"] = new JsonArray(point) }),
            ["errorCode"] = "Success",
        };
    }

    /// <summary>Azure's defaults: counts are totalled, times and host counts averaged.</summary>
    private static string DefaultAggregation(Instrument instrument) =>
        instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() is var kind
        && (kind == typeof(Counter<>) || kind == typeof(UpDownCounter<>) || kind == typeof(ObservableCounter<>)) ? "Total" : "Average";

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex Words();
}
