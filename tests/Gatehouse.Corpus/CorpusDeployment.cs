using Gatehouse.Arm;
using Gatehouse.Errors;
using Gatehouse.Network;

namespace Gatehouse.Corpus;

/// <summary>
/// A corpus template deployed as a deployment does it, short of the store: expanded by <see cref="CorpusTemplates.Expand"/>,
/// then every resource provisioned in order by the network provider, each seeing the ones provisioned before it.
/// </summary>
public static class CorpusDeployment
{
    /// <summary>
    /// "ok" when every resource provisioned; otherwise "expand: CODE: message" or "provision TYPE: CODE: message"; or
    /// "deferred: ..." for a template with values known only after its linked deployments, which is never provisioned:
    /// a deployment would provision the expression text in their place.
    /// </summary>
    public static string Outcome(string template)
    {
        ExpandedTemplate expanded;
        try { expanded = CorpusTemplates.Expand(template); }
        catch (ArmException e) { return $"expand: {e.Error.Code}: {e.Error.Message}"; }
        if (expanded.DeferredPaths.Count > 0)
            return $"deferred: {expanded.DeferredPaths.Count} value(s) known only after linked deployments, not provisioned: {string.Join(", ", expanded.DeferredPaths)}";

        var provisioned = new Dictionary<string, ProvisionedResource>(ResourceIds.Comparer);
        foreach (var resource in expanded.Resources)
        {
            try
            {
                provisioned[resource.Id] = NetworkProvider.Provision(
                    new ResourceInput(resource.Id, resource.Type, resource.Name, resource.ApiVersion, resource.Body),
                    id => provisioned.GetValueOrDefault(id));
            }
            catch (ArmException e) { return $"provision {resource.Type}: {e.Error.Code}: {e.Error.Message}{string.Concat((e.Error.Details ?? []).Select(d => $" [{d.Target}: {d.Code}: {d.Message}]"))}"; }
        }
        return "ok";
    }
}
