using System.Text.Json.Nodes;
using Gatehouse.Control.Store;

namespace Gatehouse.Control.Instances;

/// <summary>
/// A gateway's backendhealth body as all live instances see it: each instance probes the backends itself, as Azure's
/// instances do, and reports what it found with its heartbeat. Pools, settings and servers are those any instance
/// knows, in the order they were first seen. A server's health is the instances' common verdict (an instance that has
/// not probed yet has none), or Azure's <c>Partial</c> when it is up for some and not for others; where the
/// instances differ, its <c>healthProbeLog</c> says which instance saw what.
/// </summary>
internal static class BackendHealthView
{
    /// <summary>This instance's own report (read now) merged with those of the other live instances (as last reported).</summary>
    public static JsonObject Of(string gatewayId, string self, JsonObject own, IReadOnlyList<InstanceReport> instances, DateTimeOffset now)
    {
        var others = instances
            .Where(i => i.Id != self && i.IsAliveAt(now))
            .Select(i => (i.Id, Report: i.BackendHealth?.FirstOrDefault(g => string.Equals(g.Key, gatewayId, StringComparison.OrdinalIgnoreCase)).Value as JsonObject))
            .Where(v => v.Report is not null)
            .Select(v => (v.Id, v.Report!));
        var merged = Merge([(self, own), .. others]);
        // Every instance reads the same vaults: this one's Key Vault errors (and the listeners they disable) stand for all.
        if (own["unreadableCertificates"] is { } unreadable) merged["unreadableCertificates"] = unreadable.DeepClone();
        return merged;
    }

    public static JsonObject Merge(IReadOnlyList<(string Instance, JsonObject Report)> views)
    {
        var pools = new List<Level<Level<Server>>>();
        foreach (var (instance, report) in views)
        {
            foreach (var pool in Items(report, "backendAddressPools"))
            {
                var poolSeen = Level<Level<Server>>.Find(pools, pool["backendAddressPool"]);
                foreach (var settings in Items(pool, "backendHttpSettingsCollection"))
                {
                    var settingsSeen = Level<Server>.Find(poolSeen.Items, settings["backendHttpSettings"]);
                    foreach (var server in Items(settings, "servers"))
                    {
                        var address = server["address"]?.GetValue<string>() ?? "";
                        var known = settingsSeen.Items.Find(s => string.Equals(s.Address, address, StringComparison.OrdinalIgnoreCase));
                        if (known is null) settingsSeen.Items.Add(known = new Server(address, server));
                        known.Seen.Add((instance, server["health"]?.GetValue<string>() ?? "Unknown", server["healthProbeLog"]?.GetValue<string>()));
                    }
                }
            }
        }
        return new JsonObject
        {
            ["backendAddressPools"] = new JsonArray([.. pools.Select(p => (JsonNode)new JsonObject
            {
                ["backendAddressPool"] = p.Reference.DeepClone(),
                ["backendHttpSettingsCollection"] = new JsonArray([.. p.Items.Select(s => (JsonNode)new JsonObject
                {
                    ["backendHttpSettings"] = s.Reference.DeepClone(),
                    ["servers"] = new JsonArray([.. s.Items.Select(Render)]),
                })]),
            })]),
        };
    }

    /// <summary>A pool or settings (by its reference's id) and what is under it, as first seen.</summary>
    private sealed record Level<T>(JsonNode Reference)
    {
        public List<T> Items { get; } = [];

        public static Level<T> Find(List<Level<T>> seen, JsonNode? reference)
        {
            var id = reference?["id"]?.GetValue<string>();
            var known = seen.Find(l => string.Equals(l.Reference["id"]?.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase));
            if (known is null) seen.Add(known = new Level<T>(reference ?? new JsonObject()));
            return known;
        }
    }

    private sealed record Server(string Address, JsonObject First)
    {
        public List<(string Instance, string Health, string? Log)> Seen { get; } = [];
    }

    private static JsonNode Render(Server server)
    {
        var rendered = server.First.DeepClone().AsObject();
        var verdicts = server.Seen.Select(s => s.Health).Where(h => h != "Unknown").Distinct().ToList();
        rendered["health"] = verdicts switch
        {
            [] => "Unknown",
            [var one] => one,
            _ when verdicts.Contains("Up") => "Partial",
            _ => "Down",
        };
        var agreed = server.Seen.Select(s => (s.Health, s.Log)).Distinct().Count() == 1;
        var log = agreed
            ? server.Seen[0].Log
            : string.Join("; ", server.Seen.Select(s => s.Log is null ? $"{s.Instance}: {s.Health}" : $"{s.Instance}: {s.Health} ({s.Log})"));
        rendered.Remove("healthProbeLog");
        if (log is not null) rendered["healthProbeLog"] = log;
        return rendered;
    }

    private static IEnumerable<JsonObject> Items(JsonNode node, string name) =>
        node[name] is JsonArray items ? items.OfType<JsonObject>() : [];
}
