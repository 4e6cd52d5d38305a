using System.Text.Json.Nodes;
using Gatehouse.Arm.Templates;

namespace Gatehouse.Arm;

/// <summary>Expands an ARM template: binds parameters, evaluates variables, resources (ordered by dependsOn) and outputs.</summary>
public static class TemplateExpander
{
    /// <param name="template">The template JSON object.</param>
    /// <param name="parameters">The ARM deployment "parameters" object (<c>{ "name": { "value": ... } }</c>), or null.</param>
    /// <param name="scope">Where the template is deployed.</param>
    public static ExpandedTemplate Expand(JsonObject template, JsonObject? parameters, DeploymentScope scope)
    {
        var context = new TemplateContext(template, scope);
        var boundParameters = TemplateParameters.Bind(context, parameters);
        var resources = ResourceOrdering.Order(TemplateResources.Evaluate(context));
        return new ExpandedTemplate(resources, TemplateOutputs.Evaluate(context), boundParameters);
    }
}
