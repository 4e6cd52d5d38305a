using System.Text.Json.Nodes;
using Gatehouse.Control.Api;
using Gatehouse.Control.Store;
using Gatehouse.Network;

namespace Gatehouse.Control.Instances;

/// <summary>
/// The instances sharing the store as the API and the portal show them: each with the revision it serves and its last
/// report, and each gateway's sku.capacity (or autoscale min/max) against the instances alive. Gatehouse starts no
/// instance itself, so a difference is reported for the platform (or its operator) to act on.
/// </summary>
internal static class InstancesView
{
    public static JsonObject Render(IReadOnlyList<InstanceReport> instances, long storedRevision, IReadOnlyList<ProvisionedResource> gateways,
        string self, DateTimeOffset now)
    {
        var alive = instances.Count(i => i.IsAliveAt(now));
        return new JsonObject
        {
            ["storeRevision"] = storedRevision,
            ["liveInstances"] = alive,
            ["value"] = new JsonArray(instances.Select(i => (JsonNode)new JsonObject
            {
                ["id"] = i.Id,
                ["managementUrl"] = i.ManagementUrl,
                ["revision"] = i.Revision,
                ["state"] = i.IsAliveAt(now) ? "Running" : "Stopped",
                ["self"] = i.Id == self,
                ["started"] = ArmResponses.Iso8601(i.Started),
                ["lastReport"] = ArmResponses.Iso8601(i.LastReport),
            }).ToArray()),
            ["gateways"] = new JsonArray(gateways.Select(g => (JsonNode)Capacity(g, alive)).ToArray()),
        };
    }

    /// <summary>Live instances minus what the gateway asks for: negative when short, positive when over, 0 when within.</summary>
    public static JsonObject Capacity(ProvisionedResource gateway, int alive)
    {
        var properties = gateway.Body["properties"];
        var autoscale = properties?["autoscaleConfiguration"];
        var view = new JsonObject { ["id"] = gateway.Id, ["liveInstances"] = alive };
        int difference;
        if (autoscale?["minCapacity"] is { } minNode)
        {
            var min = minNode.GetValue<int>();
            // Azure's default ceiling when maxCapacity is omitted (appgw-behaviour §5.2).
            var max = autoscale["maxCapacity"]?.GetValue<int>() ?? 10;
            (view["minCapacity"], view["maxCapacity"]) = (min, max);
            difference = alive < min ? alive - min : alive > max ? alive - max : 0;
        }
        else
        {
            var capacity = properties?["sku"]?["capacity"]?.GetValue<int>() ?? 1;
            view["capacity"] = capacity;
            difference = alive - capacity;
        }
        view["difference"] = difference;
        view["status"] = difference switch
        {
            < 0 => $"{-difference} instance(s) fewer than the gateway asks for",
            > 0 => $"{difference} instance(s) more than the gateway asks for",
            _ => "As many instances as the gateway asks for",
        };
        return view;
    }
}
