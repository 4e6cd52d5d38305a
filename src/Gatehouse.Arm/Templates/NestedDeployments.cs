using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Templates;

/// <summary>
/// Inline nested deployments: a <c>Microsoft.Resources/deployments</c> resource with <c>properties.template</c>. Its
/// template's resources are deployed in its place and inherit its dependsOn; reference() to it gives its outputs.
/// With <c>expressionEvaluationOptions.scope</c> 'inner' the template has its own parameters (from
/// <c>properties.parameters</c>) and variables; with 'outer', the default, its expressions see the parent template's.
/// A deployment of a linked template (<c>templateLink</c>) stays an ordinary resource: fetching it would be I/O.
/// </summary>
internal static class NestedDeployments
{
    private const string DeploymentsType = "Microsoft.Resources/deployments";

    /// <summary>A deployments resource whose template is not inline: its outputs cannot be known here.</summary>
    public static bool IsLinked(ResourceInstance instance) =>
        instance.Members is null && string.Equals(instance.Type, DeploymentsType, StringComparison.OrdinalIgnoreCase);

    public static bool IsInline(string type, JsonObject resource) =>
        string.Equals(type, DeploymentsType, StringComparison.OrdinalIgnoreCase)
        && Values.Property(Values.Property(resource, "properties") as JsonObject, "template") is JsonObject;

    /// <summary>The context the nested template is evaluated in: its parameters are bound here, before its resources are declared.</summary>
    public static TemplateContext Context(TemplateContext outer, string deploymentId, string deploymentName, JsonObject resource, string path)
    {
        var properties = (JsonObject)Values.Property(resource, "properties")!;
        var template = (JsonObject)Values.Property(properties, "template")!;
        var propertiesPath = TemplateValues.Child(path, "properties");
        return IsInnerScope(properties, propertiesPath, outer.Evaluator)
            ? InnerContext(outer, deploymentId, deploymentName, template, properties, propertiesPath)
            : outer.WithTemplate(template);
    }

    /// <summary>The nested template's resources, each also depending on what the deployment depends on.</summary>
    public static List<ResourceInstance> Declare(TemplateContext nested, ResourceInstance deployment)
    {
        var members = TemplateResources.Declare(nested, $"{deployment.Path}.properties.template.");
        foreach (var member in members) member.DependsOn.AddRange(deployment.DependsOn);
        return members;
    }

    /// <summary>The body reference() sees for the deployment: its outputs, as ARM's deployment resource has them.</summary>
    public static JsonObject Body(TemplateContext nested) => new()
    {
        ["properties"] = new JsonObject { ["outputs"] = TemplateOutputs.Evaluate(nested), ["provisioningState"] = "Succeeded" },
    };

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

    private static TemplateContext InnerContext(
        TemplateContext outer, string deploymentId, string deploymentName, JsonObject template, JsonObject properties, string propertiesPath)
    {
        var scope = outer.Scope with { DeploymentName = deploymentName, ResourceGroup = ResourceGroupOf(deploymentId) };
        var inner = new TemplateContext(template, scope, outer.Options, outer.Resources);
        var parameters = TemplateValues.Evaluate(Values.Property(properties, "parameters"), $"{propertiesPath}.parameters", outer.Evaluator) as JsonObject;
        TemplateParameters.Bind(inner, parameters);
        return inner;
    }

    private static string ResourceGroupOf(string deploymentId) => deploymentId.Split('/')[4];
}
