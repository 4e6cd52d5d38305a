using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Errors;
using Gatehouse.Network;

namespace Gatehouse.Corpus;

/// <summary>
/// A corpus template deployed as a deployment does it, short of the store: planned by <see cref="CorpusTemplates.Plan"/>,
/// then checked as validate and what-if check it, or run with every resource provisioned in order by the network
/// provider, each seeing the ones provisioned before it and reading what the provider computed for them.
/// </summary>
public static class CorpusDeployment
{
    /// <summary>
    /// What validate (and what-if, the same preflight) answers: "ok", or "plan: CODE: message" when the template does not
    /// plan, or "provision TYPE: CODE: message" for the first resource known before deployment that the provider refuses.
    /// </summary>
    public static string Validate(string template)
    {
        TemplateDeployment planned;
        try { planned = CorpusTemplates.Plan(template); }
        catch (ArmException e) { return $"plan: {e.Error.Code}: {e.Error.Message}"; }
        var provisioned = new Dictionary<string, ProvisionedResource>(ResourceIds.Comparer);
        return Outcome(() => planned.Preflight(resource => Provision(resource, provisioned)));
    }

    /// <summary>
    /// "ok" when every resource provisioned; otherwise "plan: CODE: message", "provision TYPE: CODE: message" (the first
    /// resource the provider refuses, as the deployment would end however its linked deployments went) or "deploy: CODE:
    /// message"; or "deferred: ..." for a template with values known only after its linked deployments, which are not in
    /// the corpus: a deployment would fetch them, and would not meet the errors their absence causes here.
    /// </summary>
    public static string Outcome(string template)
    {
        TemplateDeployment planned;
        try { planned = CorpusTemplates.Plan(template); }
        catch (ArmException e) { return $"plan: {e.Error.Code}: {e.Error.Message}"; }
        var provisioned = new Dictionary<string, ProvisionedResource>(ResourceIds.Comparer);
        var outcome = Outcome(() => planned.Run(resource => Render(Provision(resource, provisioned)), CorpusTemplates.RuntimeState));
        return !outcome.StartsWith("provision ", StringComparison.Ordinal) && planned.DeferredPaths.Count > 0
            ? $"deferred: {planned.DeferredPaths.Count} value(s) known only after linked deployments, not provisioned: {string.Join(", ", planned.DeferredPaths)}"
            : outcome;
    }

    private const string Refused = "ProvisionRefused";

    private static string Outcome(Action deploy)
    {
        try
        {
            deploy();
            return "ok";
        }
        catch (ArmException e)
        {
            var first = ArmErrors.Problems(e.Error)[0];
            return first.Code == Refused ? first.Message : $"deploy: {first.Code}: {first.Message}";
        }
    }

    private static ProvisionedResource Provision(ExpandedResource resource, Dictionary<string, ProvisionedResource> provisioned)
    {
        try
        {
            return provisioned[resource.Id] = NetworkProvider.Provision(
                new ResourceInput(resource.Id, resource.Type, resource.Name, resource.ApiVersion, resource.Body) { TenantId = CorpusTemplates.Scope.TenantId },
                id => provisioned.GetValueOrDefault(id));
        }
        catch (ArmException e)
        {
            // Renamed so that the outcome names the resource type; the deployment goes on with what does not depend on it.
            throw new ArmException(Refused,
                $"provision {resource.Type}: {e.Error.Code}: {e.Error.Message}{string.Concat((e.Error.Details ?? []).Select(d => $" [{d.Target}: {d.Code}: {d.Message}]"))}");
        }
    }

    /// <summary>What reference() sees of a resource the deployment provisioned: the provider's GET, with what it computes.</summary>
    private static JsonObject Render(ProvisionedResource resource) => NetworkProvider.Render(resource, resource.ApiVersion);
}
