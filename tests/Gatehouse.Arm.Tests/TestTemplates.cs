using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Arm.Templates;

namespace Gatehouse.Arm.Tests;

/// <summary>Shared fixtures: the deployment scope, the corpus location and small template builders.</summary>
internal static class TestTemplates
{
    public static readonly DeploymentScope Scope = new("tenant-1", "00000000-0000-0000-0000-000000000001", "rg-gatehouse", "westeurope", "deploy-1");

    public static string ResourceGroupId => $"/subscriptions/{Scope.SubscriptionId}/resourceGroups/{Scope.ResourceGroup}";

    public static string CorpusFile(string relativePath) => Corpus.CorpusTemplates.Read(relativePath);

    public static JsonObject Parse(string json) => (JsonObject)Jsonc.Parse(json);

    public static ExpandedTemplate Expand(string templateJson, string? parametersJson = null) =>
        TemplateExpander.Expand(Parse(templateJson), parametersJson is null ? null : Parse(parametersJson), Scope);

    /// <summary>Evaluates one template string directly with the evaluator, in a template with the given sections.</summary>
    public static JsonNode? Evaluate(string templateString, string templateJson = "{}") =>
        new TemplateContext(Parse(templateJson), Scope).Evaluator.EvaluateTemplateString(templateString);

    /// <summary>Evaluates a template string as an output value, through the public expander, so errors come out as ARM errors.</summary>
    public static JsonNode? EvaluateAsOutput(string templateString)
    {
        var template = new JsonObject { ["outputs"] = new JsonObject { ["result"] = new JsonObject { ["type"] = "object", ["value"] = templateString } } };
        return TemplateExpander.Expand(template, null, Scope).Outputs["result"]!["value"];
    }

    public static string EvaluateText(string templateString, string templateJson = "{}") => Evaluate(templateString, templateJson)!.GetValue<string>();

    public static ExpressionException EvaluationError(string templateString, string templateJson = "{}") =>
        Assert.Throws<ExpressionException>(() => Evaluate(templateString, templateJson));
}
