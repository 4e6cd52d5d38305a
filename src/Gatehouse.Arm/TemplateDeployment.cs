using System.Text.Json.Nodes;
using Gatehouse.Arm.Templates;

namespace Gatehouse.Arm;

/// <summary>
/// A template whose resources are expanded (in the order <see cref="ExpandedTemplate.Resources"/> has) and whose
/// outputs wait for <see cref="EvaluateOutputs"/>, once the caller has deployed the resources.
/// </summary>
public sealed class TemplateDeployment
{
    private readonly TemplateContext _context;

    internal TemplateDeployment(TemplateContext context, IReadOnlyList<ExpandedResource> resources, IReadOnlyList<BoundParameter> parameters) =>
        (_context, Resources, Parameters) = (context, resources, parameters);

    public IReadOnlyList<ExpandedResource> Resources { get; }

    public IReadOnlyList<BoundParameter> Parameters { get; }

    /// <summary>See <see cref="ExpandedTemplate.DeferredPaths"/>; outputs add theirs once evaluated.</summary>
    public IReadOnlyList<string> DeferredPaths => _context.Resources.DeferredPaths;

    /// <summary>
    /// The outputs, name → <c>{ type, value }</c>. From now on reference() reads a resource's state from
    /// <paramref name="deployedState"/> (shaped as <see cref="ExpansionOptions.ResolveResource"/>), laid over what the
    /// template declares for it.
    /// </summary>
    public JsonObject EvaluateOutputs(Func<string, JsonObject?>? deployedState)
    {
        _context.Resources.ResolveWith(deployedState);
        return TemplateOutputs.Evaluate(_context);
    }
}
