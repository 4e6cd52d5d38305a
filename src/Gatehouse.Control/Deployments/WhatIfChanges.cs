using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Control.Store;
using Gatehouse.Network;

namespace Gatehouse.Control.Deployments;

/// <summary>
/// ARM's what-if result: one change per resource (Create, Modify, NoChange, Delete, or Ignore for a resource of the group
/// that the template does not name), with <c>before</c>/<c>after</c> as a GET renders them (so without secrets) and a
/// <c>delta</c> of the properties that differ.
/// </summary>
internal static class WhatIfChanges
{
    // Set anew by every PUT, so they would make every redeployment look like a change.
    private static readonly HashSet<string> Volatile = new(StringComparer.OrdinalIgnoreCase) { "etag", "provisioningState", "resourceGuid" };

    /// <param name="deferred">
    /// Resources holding values known only at deployment time, shown as the template declares them with those values'
    /// expressions (<c>[reference(...)]</c>), as ARM's what-if does.
    /// </param>
    public static JsonArray Compare(IReadOnlyList<ProvisionedResource> existing, ResourceChanges changes, IReadOnlyList<ExpandedResource> deferred)
    {
        var before = existing.ToDictionary(r => r.Id, StringComparer.OrdinalIgnoreCase);
        var result = new JsonArray();
        var afters = changes.Upserts.Select(r => (r.Id, r.ApiVersion, After: NetworkProvider.Render(r, r.ApiVersion)))
            .Concat(deferred.Select(r => (r.Id, r.ApiVersion, After: Declared(r))));
        foreach (var (id, apiVersion, after) in afters)
        {
            if (!before.Remove(id, out var old))
            {
                result.Add(Change(id, "Create", null, after));
                continue;
            }
            var previous = NetworkProvider.Render(old, apiVersion);
            var delta = new JsonArray();
            Diff("", previous, after, delta);
            result.Add(Change(id, delta.Count == 0 ? "NoChange" : "Modify", previous, after, delta));
        }
        foreach (var id in changes.DeletedResourceIds)
        {
            if (before.Remove(id, out var deleted)) result.Add(Change(id, "Delete", NetworkProvider.Render(deleted, deleted.ApiVersion), null));
        }
        foreach (var untouched in before.Values)
        {
            result.Add(Change(untouched.Id, "Ignore", NetworkProvider.Render(untouched, untouched.ApiVersion), null));
        }
        return result;
    }

    private static JsonObject Declared(ExpandedResource resource)
    {
        var declared = new JsonObject { ["id"] = resource.Id, ["name"] = resource.Name, ["type"] = resource.Type };
        foreach (var (key, value) in NetworkProvider.RenderDeclared(resource.Type, resource.Body)) declared[key] = value?.DeepClone();
        return declared;
    }

    private static JsonObject Change(string id, string changeType, JsonObject? before, JsonObject? after, JsonArray? delta = null)
    {
        var change = new JsonObject { ["resourceId"] = id, ["changeType"] = changeType, ["before"] = before, ["after"] = after };
        if (delta is not null) change["delta"] = delta;
        return change;
    }

    /// <summary>Leaf differences with dotted paths (array items by index), as ARM's <c>propertyChangeType</c> Create, Delete or Modify.</summary>
    private static void Diff(string path, JsonNode? before, JsonNode? after, JsonArray delta)
    {
        switch (before, after)
        {
            case (JsonObject b, JsonObject a):
                foreach (var key in b.Select(p => p.Key).Union(a.Select(p => p.Key)).Where(key => !Volatile.Contains(key)))
                    Diff(Join(path, key), b[key], a[key], delta);
                break;
            case (JsonArray b, JsonArray a):
                for (var i = 0; i < Math.Max(b.Count, a.Count); i++)
                    Diff(Join(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), i < b.Count ? b[i] : null, i < a.Count ? a[i] : null, delta);
                break;
            default:
                if (JsonNode.DeepEquals(before, after)) break;
                delta.Add(new JsonObject
                {
                    ["path"] = path,
                    ["propertyChangeType"] = before is null ? "Create" : after is null ? "Delete" : "Modify",
                    ["before"] = before?.DeepClone(),
                    ["after"] = after?.DeepClone(),
                });
                break;
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
