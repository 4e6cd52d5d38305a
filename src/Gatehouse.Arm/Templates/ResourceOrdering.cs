using Gatehouse.Errors;

namespace Gatehouse.Arm.Templates;

/// <summary>
/// Resolves dependsOn entries (and the dependencies reference() implies) to resource instances and orders the deployed
/// ones so each follows what it depends on, keeping template order among resources that are independent of each other.
/// An inline nested deployment is replaced by its template's resources, both in the order and as a dependency.
/// </summary>
internal static class ResourceOrdering
{
    public static IReadOnlyList<(ExpandedResource Planned, ResourceInstance Instance)> Order(DeploymentResources resources)
    {
        var deployable = resources.All.Where(i => i.Members is null).ToList();
        var dependencies = deployable.ToDictionary(instance => instance, instance => Resolve(instance, resources));
        var ordered = new List<ResourceInstance>();
        var done = new HashSet<ResourceInstance>();
        var pending = deployable.Where(i => i.Deployed).ToList();
        while (pending.Count > 0)
        {
            var ready = pending.FirstOrDefault(instance => dependencies[instance].All(d => !d.Deployed || done.Contains(d)))
                ?? throw CircularDependency(pending, dependencies);
            ordered.Add(ready);
            done.Add(ready);
            pending.Remove(ready);
        }
        return ordered.Select(instance => (new ExpandedResource(
            instance.Id, instance.Type, instance.Name, instance.ApiVersion, instance.Body,
            dependencies[instance].Where(d => d.Deployed).Select(d => d.Id).Distinct(StringComparer.OrdinalIgnoreCase).ToList()), instance)).ToList();
    }

    private static List<ResourceInstance> Resolve(ResourceInstance instance, DeploymentResources resources) =>
        instance.DependsOn.SelectMany(entry =>
        {
            var targets = resources.NamedBy(entry.Reference).ToList();
            return targets.Count > 0 || resources.IsCopyLoop(entry.Reference)
                ? targets.SelectMany(Deployable)
                : throw new ArmException("InvalidTemplate", $"The resource '{entry.Reference}' is not defined in the template.", entry.Path);
        }).Where(target => target != instance).Distinct().ToList();

    private static IEnumerable<ResourceInstance> Deployable(ResourceInstance instance) =>
        instance.Members is { } members ? members.SelectMany(Deployable) : [instance];

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
