using System.Text.Json.Nodes;
using Gatehouse.Arm.Templates;
using Gatehouse.Errors;

namespace Gatehouse.Arm;

/// <summary>
/// A deployment as ARM runs it. Planned first: parameters bound, resources declared and ordered (explicit dependsOn,
/// and the dependency reference() and list* create on a resource of the same deployment), every value that is known
/// before anything is deployed evaluated; a value that reads a resource of the deployment keeps its expression text
/// (<see cref="DeferredPaths"/>), as what-if shows it. Then <see cref="Run"/> deploys the resources in order, each
/// evaluated when its turn comes against what deploying gave the ones before it, and evaluates the outputs last.
/// </summary>
public sealed class TemplateDeployment
{
    private readonly TemplateContext _context;
    private readonly Dictionary<ExpandedResource, ResourceInstance> _instances;

    private TemplateDeployment(TemplateContext context, IReadOnlyList<(ExpandedResource Planned, ResourceInstance Instance)> resources, IReadOnlyList<BoundParameter> parameters)
    {
        (_context, Parameters) = (context, parameters);
        Resources = resources.Select(r => r.Planned).ToList();
        _instances = new Dictionary<ExpandedResource, ResourceInstance>(ReferenceEqualityComparer.Instance);
        foreach (var (planned, instance) in resources) _instances[planned] = instance;
    }

    internal static TemplateDeployment Plan(TemplateContext context, IReadOnlyList<BoundParameter> parameters, string pathPrefix)
    {
        TemplateResources.Declare(context, pathPrefix);
        context.Resources.EvaluateBodies();
        return new TemplateDeployment(context, ResourceOrdering.Order(context.Resources), parameters);
    }

    /// <summary>The resources in the order they deploy in, as planned.</summary>
    public IReadOnlyList<ExpandedResource> Resources { get; }

    public IReadOnlyList<BoundParameter> Parameters { get; }

    /// <summary>See <see cref="ExpandedTemplate.DeferredPaths"/>; after <see cref="Run"/>, only what reads linked deployments that were not resolved.</summary>
    public IReadOnlyList<string> DeferredPaths => _context.Resources.DeferredPaths;

    /// <summary>A planned resource holds a value known only at deployment time: validate checks no more than its shape, what-if shows it unevaluated.</summary>
    public bool IsDeferred(ExpandedResource planned) => _context.Resources.HoldsDeferred(_instances[planned]) || _instances[planned].RunsAtItsTurn;

    /// <summary>
    /// Deploys every resource in order and returns the outputs, name → <c>{ type, value }</c>. A resource's deferred values
    /// are evaluated at its turn; <paramref name="provision"/> deploys it and returns its state as a GET gives it, which
    /// reference() then sees. A nested deployment whose parameters were deferred is planned and run then, as a deployment
    /// of its own. A failure does not stop resources that do not depend on the failed one, so that one error lists every
    /// problem; what depends on it is not started, as in ARM.
    /// </summary>
    /// <param name="state">The state of a resource outside this deployment by id, shaped as <see cref="ExpansionOptions.ResolveResource"/>.</param>
    public JsonObject Run(Func<ExpandedResource, JsonObject> provision, Func<string, JsonObject?> state)
    {
        var deployed = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        JsonObject? DeployedState(string id) => deployed.TryGetValue(id, out var resource) ? resource : state(id);
        _context.Resources.ResolveWith(DeployedState);
        InOrder((planned, instance) =>
        {
            deployed[planned.Id] = instance.RunsAtItsTurn
                ? NestedDeployments.Deployed(NestedDeployments.Standalone(_context, instance, instance.Declaration!, DeployedState).Run(provision, DeployedState))
                : provision(planned with { Body = _context.Resources.BodyAtItsTurn(instance) });
            return true;
        });
        return TemplateOutputs.Evaluate(_context);
    }

    /// <summary>
    /// ARM's preflight: <paramref name="check"/>s, in order, each planned resource whose values are all known before
    /// anything is deployed and whose dependencies were checked too; the shape of the others is known only at their
    /// turn. Every problem is reported at once, as by <see cref="Run"/>.
    /// </summary>
    public void Preflight(Action<ExpandedResource> check) => InOrder((planned, _) =>
    {
        if (IsDeferred(planned)) return false;
        check(planned);
        return true;
    });

    /// <summary>Deploys (or checks) in order; a resource not deployed, or failed, is not a dependency anything else can deploy on.</summary>
    private void InOrder(Func<ExpandedResource, ResourceInstance, bool> deploy)
    {
        var notDeployed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var problems = new ArmErrorList();
        foreach (var planned in Resources)
        {
            try
            {
                if (planned.DependsOn.Any(notDeployed.Contains) || !deploy(planned, _instances[planned])) notDeployed.Add(planned.Id);
            }
            catch (ArmException e)
            {
                notDeployed.Add(planned.Id);
                foreach (var problem in ArmErrors.Problems(e.Error)) problems.Add(problem);
            }
        }
        problems.ThrowIfAny(all => ArmErrors.MultipleErrors("the deployment's resources", all));
    }
}
