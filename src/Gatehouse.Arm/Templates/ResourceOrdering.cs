namespace Gatehouse.Arm.Templates;

/// <summary>
/// Resolves dependsOn entries to resource instances and orders the deployed ones so each follows what it depends on,
/// keeping template order among resources that are independent of each other.
/// </summary>
internal static class ResourceOrdering
{
    public static IReadOnlyList<ExpandedResource> Order(IReadOnlyList<ResourceInstance> instances)
    {
        var dependencies = instances.ToDictionary(instance => instance, instance => Resolve(instance, instances));
        var ordered = new List<ResourceInstance>();
        var pending = instances.Where(i => i.Deployed).ToList();
        while (pending.Count > 0)
        {
            var ready = pending.FirstOrDefault(instance => dependencies[instance].All(d => !d.Deployed || ordered.Contains(d)))
                ?? throw CircularDependency(pending, dependencies);
            ordered.Add(ready);
            pending.Remove(ready);
        }
        return ordered.Select(instance => new ExpandedResource(
            instance.Id, instance.Type, instance.Name, instance.ApiVersion, instance.Body,
            dependencies[instance].Where(d => d.Deployed).Select(d => d.Id).Distinct(StringComparer.OrdinalIgnoreCase).ToList())).ToList();
    }

    private static List<ResourceInstance> Resolve(ResourceInstance instance, IReadOnlyList<ResourceInstance> instances) =>
        instance.DependsOn.SelectMany(entry =>
        {
            var targets = instances.Where(candidate => Names(candidate, entry.Reference)).ToList();
            return targets.Count > 0
                ? targets
                : throw new ArmException("InvalidTemplate", $"The resource '{entry.Reference}' is not defined in the template.", entry.Path);
        }).ToList();

    /// <summary>A dependsOn entry is a resource id, 'Type/name', the id's provider-relative part, a bare name or a copy loop name.</summary>
    private static bool Names(ResourceInstance candidate, string reference)
    {
        var providerRelative = candidate.Id[(candidate.Id.IndexOf("/providers/", StringComparison.OrdinalIgnoreCase) + "/providers/".Length)..];
        return new[] { candidate.Id, $"{candidate.Type}/{candidate.Name}", providerRelative, candidate.Name, candidate.CopyName }
            .Any(form => string.Equals(form, reference, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Follows dependencies from a stuck resource until one repeats, to name the actual cycle.</summary>
    private static ArmException CircularDependency(List<ResourceInstance> pending, Dictionary<ResourceInstance, List<ResourceInstance>> dependencies)
    {
        var path = new List<ResourceInstance> { pending[0] };
        while (true)
        {
            var next = dependencies[path[^1]].First(d => pending.Contains(d));
            var seenAt = path.IndexOf(next);
            if (seenAt >= 0)
            {
                var cycle = path[seenAt..].Append(next).Select(i => $"'{i.Id}'");
                throw new ArmException("InvalidTemplate", $"Circular dependency detected on resource: {string.Join(" -> ", cycle)}.", next.Path);
            }
            path.Add(next);
        }
    }
}
