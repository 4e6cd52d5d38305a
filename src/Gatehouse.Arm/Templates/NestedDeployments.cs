using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Templates;

/// <summary>
/// Nested deployments: a <c>Microsoft.Resources/deployments</c> resource with an inline <c>properties.template</c> or a
/// <c>properties.templateLink</c>. Its template's resources are deployed in its place and inherit its dependsOn;
/// reference() to it gives its outputs. With <c>expressionEvaluationOptions.scope</c> 'inner' the template has its own
/// parameters (from <c>properties.parameters</c>) and variables; with 'outer', the default, its expressions see the
/// parent template's. A linked template always has its own scope, as in ARM, and is read through
/// <see cref="ExpansionOptions.ResolveTemplateLink"/>: without one, or while its documents are not at hand, the
/// deployment stays an ordinary resource. One in its own scope whose parameters are known only at deployment time
/// runs as a deployment of its own when its turn comes.
/// </summary>
internal static class NestedDeployments
{
    private const string DeploymentsType = "Microsoft.Resources/deployments";

    /// <summary>A deployments resource whose template is not known here (linked, with no resolver): its outputs are not known.</summary>
    public static bool IsLinked(ResourceInstance instance) =>
        instance.Members is null && !instance.RunsAtItsTurn && string.Equals(instance.Type, DeploymentsType, StringComparison.OrdinalIgnoreCase);

    public static bool IsNested(string type, JsonObject resource) =>
        string.Equals(type, DeploymentsType, StringComparison.OrdinalIgnoreCase)
        && Values.Property(resource, "properties") is JsonObject properties
        && (Values.Property(properties, "template") is JsonObject || Values.Property(properties, "templateLink") is JsonObject);

    /// <summary>
    /// The context the nested template is evaluated in: its parameters are bound here, before its resources are
    /// declared. Null for a linked template when there is no resolver to read it, or its documents are not at hand yet;
    /// and, with <paramref name="runsAtItsTurn"/>, for a template in its own scope whose parameters read what is known
    /// only once resources of the deployment are deployed: as in ARM, that deployment runs as its own when its turn
    /// comes (<see cref="Standalone"/>).
    /// </summary>
    public static TemplateContext? Context(TemplateContext outer, string deploymentId, string deploymentName, JsonObject resource, string path, out bool runsAtItsTurn) =>
        Context(outer, deploymentId, deploymentName, resource, path, standalone: null, out runsAtItsTurn);

    /// <summary>
    /// The deployment whose parameters <see cref="Context"/> found known only at its turn, planned now as a deployment
    /// of its own (own resources, own outputs) that sees resources by id through <paramref name="deployedState"/>.
    /// </summary>
    public static TemplateDeployment Standalone(TemplateContext outer, ResourceInstance deployment, JsonObject resource, Func<string, JsonObject?> deployedState)
    {
        var nested = Context(outer, deployment.Id, deployment.Name, resource, deployment.Path, deployedState, out _)
            ?? throw new ArmException("InvalidTemplate", $"The template of the deployment '{deployment.Name}' at '{deployment.Path}' was not fetched before the deployment started.", deployment.Path);
        return TemplateDeployment.Plan(nested, nested.BoundParameters, $"{deployment.Path}.properties.template.");
    }

    private static TemplateContext? Context(
        TemplateContext outer, string deploymentId, string deploymentName, JsonObject resource, string path, Func<string, JsonObject?>? standalone, out bool runsAtItsTurn)
    {
        runsAtItsTurn = false;
        var properties = (JsonObject)Values.Property(resource, "properties")!;
        var propertiesPath = TemplateValues.Child(path, "properties");
        // Also what stops a template that links itself.
        if (outer.NestingDepth >= TemplateLimits.MaxNestedDeploymentDepth)
            throw new ArmException("InvalidTemplate",
                $"The deployment '{deploymentName}' at '{path}' is nested more than {TemplateLimits.MaxNestedDeploymentDepth} deployments deep, over ARM's limit; does a template link itself?", path);
        JsonObject? EvaluatedParameters(out bool known) => outer.Resources.TryKnownNow(() => Parameters(outer, properties, propertiesPath), out known);
        if (Values.Property(properties, "template") is JsonObject template)
        {
            if (!IsInnerScope(properties, propertiesPath, outer.Evaluator)) return outer.WithTemplate(template);
            var inlineParameters = EvaluatedParameters(out var inlineKnown);
            runsAtItsTurn = !inlineKnown;
            return inlineKnown ? InnerContext(outer, deploymentId, deploymentName, template, inlineParameters, outer.Options, standalone) : null;
        }
        if (outer.Options.ResolveTemplateLink is not { } resolve) return null;
        var link = new TemplateLink(outer, deploymentName, resolve);
        var linkPath = TemplateValues.Child(propertiesPath, "templateLink");
        var templateLink = (JsonObject)Values.Property(properties, "templateLink")!;
        var uri = link.Uri(templateLink, linkPath);
        var linked = link.Template(templateLink, uri, linkPath);
        var known = true;
        var parameters = Values.Property(properties, "parametersLink") is { } parametersLink
            ? link.Parameters(properties, parametersLink, TemplateValues.Child(propertiesPath, "parametersLink"))
            : EvaluatedParameters(out known);
        // Both links are asked for before giving up, so that one expansion names every document the caller lacks.
        if (link.Pending || linked is null) return null;
        runsAtItsTurn = !known;
        return known ? InnerContext(outer, deploymentId, deploymentName, linked, parameters, outer.Options with { TemplateLink = uri }, standalone) : null;
    }

    /// <summary>The nested template's resources, each also depending on what the deployment depends on.</summary>
    public static List<ResourceInstance> Declare(TemplateContext nested, ResourceInstance deployment)
    {
        var members = TemplateResources.Declare(nested, $"{deployment.Path}.properties.template.");
        foreach (var member in members) member.DependsOn.AddRange(deployment.DependsOn);
        return members;
    }

    /// <summary>The body reference() sees for the deployment: its outputs, as ARM's deployment resource has them.</summary>
    public static JsonObject Body(TemplateContext nested) => Deployed(TemplateOutputs.Evaluate(nested));

    public static JsonObject Deployed(JsonObject outputs) => new()
    {
        ["properties"] = new JsonObject { ["outputs"] = outputs, ["provisioningState"] = "Succeeded" },
    };

    /// <summary>
    /// The body of a deployment that runs at its turn, as validate and what-if show it: its template as written (its
    /// expressions are its own, evaluated when it runs), everything else evaluated.
    /// </summary>
    public static JsonObject RunBody(JsonObject resource, string path, ExpressionEvaluator evaluator, IReadOnlySet<string> templateOnlyKeys)
    {
        var body = TemplateValues.EvaluateObject(resource, path, evaluator, new HashSet<string>(templateOnlyKeys.Append("properties"), StringComparer.OrdinalIgnoreCase));
        var properties = (JsonObject)Values.Property(resource, "properties")!;
        var evaluated = TemplateValues.EvaluateObject(properties, TemplateValues.Child(path, "properties"), evaluator, new HashSet<string>(["template"], StringComparer.OrdinalIgnoreCase));
        if (Values.Property(properties, "template") is { } template) evaluated["template"] = template.DeepClone();
        body["properties"] = evaluated;
        return body;
    }

    private static bool IsInnerScope(JsonObject properties, string propertiesPath, ExpressionEvaluator evaluator)
    {
        var options = Values.Property(properties, "expressionEvaluationOptions") as JsonObject;
        if (Values.Property(options, "scope") is not { } scope) return false;
        var scopePath = $"{propertiesPath}.expressionEvaluationOptions.scope";
        return TemplateValues.EvaluateText(scope, scopePath, evaluator).ToLowerInvariant() switch
        {
            "inner" => true,
            "outer" => false,
            var other => throw new ArmException("InvalidTemplate", $"The expression evaluation scope '{other}' at '{scopePath}' must be 'inner' or 'outer'.", scopePath),
        };
    }

    /// <summary>
    /// A template in its own scope: <paramref name="options"/> carry the link it was read from, for deployment() and
    /// relative links. A <paramref name="standalone"/> one shares nothing with the outer deployment's resources.
    /// </summary>
    private static TemplateContext InnerContext(TemplateContext outer, string deploymentId, string deploymentName, JsonObject template, JsonObject? parameters,
        ExpansionOptions options, Func<string, JsonObject?>? standalone)
    {
        var scope = outer.Scope with { DeploymentName = deploymentName, ResourceGroup = ResourceGroupOf(deploymentId) };
        var inner = standalone is null
            ? new TemplateContext(template, scope, options, outer) { NestingDepth = outer.NestingDepth + 1 }
            : new TemplateContext(template, scope, options with { ResolveResource = standalone }) { NestingDepth = outer.NestingDepth + 1 };
        inner.BoundParameters = TemplateParameters.Bind(inner, parameters);
        return inner;
    }

    /// <summary>The deployment's <c>properties.parameters</c>, evaluated in the parent template.</summary>
    private static JsonObject? Parameters(TemplateContext outer, JsonObject properties, string propertiesPath) =>
        TemplateValues.Evaluate(Values.Property(properties, "parameters"), $"{propertiesPath}.parameters", outer.Evaluator) as JsonObject;

    private static string ResourceGroupOf(string deploymentId) => deploymentId.Split('/')[4];
}
