using System.Text.Json.Nodes;
using Gatehouse.Arm.Templates;

namespace Gatehouse.Arm;

/// <summary>Expands an ARM template: binds parameters, evaluates variables, resources (ordered by dependsOn) and outputs.</summary>
public static class TemplateExpander
{
    /// <summary>
    /// The template deployed with nothing but what it declares: each resource's state is its evaluated body, with what
    /// <see cref="ExpansionOptions.ResolveResource"/> knows added (never replacing a declared value), as a provider that
    /// computes nothing would leave it.
    /// </summary>
    /// <param name="template">The template JSON object.</param>
    /// <param name="parameters">The ARM deployment "parameters" object (<c>{ "name": { "value": ... } }</c>), or null.</param>
    /// <param name="scope">Where the template is deployed.</param>
    /// <param name="options">The deployment time, template link and resolver of existing resources; none by default.</param>
    public static ExpandedTemplate Expand(JsonObject template, JsonObject? parameters, DeploymentScope scope, ExpansionOptions? options = null)
    {
        var resolve = options?.ResolveResource ?? (_ => null);
        var deployment = ExpandResources(template, parameters, scope, options);
        var evaluated = new List<ExpandedResource>();
        var outputs = deployment.Run(resource =>
        {
            evaluated.Add(resource);
            var declared = DeploymentResources.DeclaredState(resource.Id, resource.Name, resource.Type, resource.ApiVersion, resource.Body);
            return DeploymentResources.Overlay(declared, resolve(resource.Id), replace: false)!;
        }, resolve);
        return new ExpandedTemplate(evaluated, outputs, deployment.Parameters, deployment.DeferredPaths);
    }

    /// <summary>
    /// Plans the deployment (see <see cref="TemplateDeployment"/>): parameters, variables, resources in order with what
    /// is known before anything is deployed; the rest waits for <see cref="TemplateDeployment.Run"/>.
    /// </summary>
    public static TemplateDeployment ExpandResources(JsonObject template, JsonObject? parameters, DeploymentScope scope, ExpansionOptions? options = null)
    {
        var context = new TemplateContext(template, scope, options);
        return TemplateDeployment.Plan(context, TemplateParameters.Bind(context, parameters), pathPrefix: "");
    }
}
