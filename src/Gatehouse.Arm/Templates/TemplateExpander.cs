using System.Text.Json.Nodes;
using Gatehouse.Arm.Templates;

namespace Gatehouse.Arm;

/// <summary>Expands an ARM template: binds parameters, evaluates variables, resources (ordered by dependsOn) and outputs.</summary>
public static class TemplateExpander
{
    /// <param name="template">The template JSON object.</param>
    /// <param name="parameters">The ARM deployment "parameters" object (<c>{ "name": { "value": ... } }</c>), or null.</param>
    /// <param name="scope">Where the template is deployed.</param>
    /// <param name="options">The deployment time, template link and resolver of existing resources; none by default.</param>
    public static ExpandedTemplate Expand(JsonObject template, JsonObject? parameters, DeploymentScope scope, ExpansionOptions? options = null)
    {
        var deployment = ExpandResources(template, parameters, scope, options);
        var outputs = deployment.EvaluateOutputs(options?.ResolveResource);
        return new ExpandedTemplate(deployment.Resources, outputs, deployment.Parameters, deployment.DeferredPaths);
    }

    /// <summary>
    /// Expands parameters, variables and resources, and leaves the outputs until the resources are deployed, as ARM
    /// evaluates them: an output may read what only deploying gives, such as a public IP's address.
    /// </summary>
    public static TemplateDeployment ExpandResources(JsonObject template, JsonObject? parameters, DeploymentScope scope, ExpansionOptions? options = null)
    {
        var context = new TemplateContext(template, scope, options);
        var boundParameters = TemplateParameters.Bind(context, parameters);
        TemplateResources.Declare(context, pathPrefix: "");
        context.Resources.EvaluateBodies();
        return new TemplateDeployment(context, ResourceOrdering.Order(context.Resources), boundParameters);
    }
}
