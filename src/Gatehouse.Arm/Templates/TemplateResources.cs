using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Arm.Functions;

namespace Gatehouse.Arm.Templates;

/// <summary>
/// One instance of a template resource (a resource with a copy loop has several). Instances whose condition is false
/// are kept, undeployed, so that dependsOn entries naming them still resolve.
/// </summary>
internal sealed record ResourceInstance(
    string Path, string Id, string Type, string Name, string? CopyName, bool Deployed,
    string ApiVersion, JsonObject Body, IReadOnlyList<DependsOnEntry> DependsOn);

/// <summary>A dependsOn value as evaluated, with its template path for errors.</summary>
internal sealed record DependsOnEntry(string Reference, string Path);

/// <summary>Evaluates the template's "resources" array into resource instances, expanding copy loops.</summary>
internal static class TemplateResources
{
    /// <summary>Keys that describe the resource to ARM rather than being part of the body sent to the provider.</summary>
    private static readonly HashSet<string> TemplateOnlyKeys =
        new(["type", "name", "apiVersion", "dependsOn", "condition", "copy", "comments"], StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<ResourceInstance> Evaluate(TemplateContext context)
    {
        var resources = Values.Property(context.Template, "resources");
        if (resources is JsonObject)
            throw new ArmException("InvalidTemplate", "Templates with symbolic resource names (languageVersion 2.0) are not supported yet.", "resources");
        var instances = new List<ResourceInstance>();
        foreach (var (node, i) in (resources as JsonArray ?? []).Select((node, i) => (node, i)))
        {
            var path = TemplateValues.Index("resources", i);
            var resource = node as JsonObject ?? throw new ArmException("InvalidTemplate", $"The template resource at '{path}' must be an object.", path);
            if (Values.Property(resource, "resources") is JsonArray { Count: > 0 })
                throw new ArmException("InvalidTemplate", $"Nested child resources at '{path}.resources' are not supported yet; declare them at the top level.", $"{path}.resources");
            if (Values.Property(resource, "copy") is JsonObject copy) instances.AddRange(EvaluateCopies(context, resource, copy, path));
            else instances.Add(EvaluateInstance(context, resource, path, copyName: null));
        }
        return instances;
    }

    private static IEnumerable<ResourceInstance> EvaluateCopies(TemplateContext context, JsonObject resource, JsonObject copy, string path)
    {
        var copyPath = TemplateValues.Child(path, "copy");
        var evaluator = context.Evaluator;
        var name = TemplateValues.EvaluateText(Values.Property(copy, "name"), TemplateValues.Child(copyPath, "name"), evaluator);
        var countPath = TemplateValues.Child(copyPath, "count");
        if (!Values.TryGetInteger(TemplateValues.Evaluate(Values.Property(copy, "count"), countPath, evaluator), out var count) || count is < 0 or > 800)
            throw new ArmException("InvalidTemplate", $"The copy count at '{countPath}' must be an integer from 0 to 800.", countPath);
        return Enumerable.Range(0, (int)count)
            .Select(index => context.InCopy(name, index, () => EvaluateInstance(context, resource, $"{path}(copy {index})", name)))
            .ToList();
    }

    private static ResourceInstance EvaluateInstance(TemplateContext context, JsonObject resource, string path, string? copyName)
    {
        var evaluator = context.Evaluator;
        string Text(string key) => TemplateValues.EvaluateText(Values.Property(resource, key), TemplateValues.Child(path, key), evaluator);

        var type = Text("type");
        var name = Text("name");
        var id = ResourceIds.TryBuild(DeploymentFunctions.ResourceGroupId(context.Scope), type, name)
            ?? throw new ArmException("InvalidTemplate",
                $"The template resource '{name}' for type '{type}' at '{path}' has incorrect segment lengths. A nested resource type must have identical number of segments as its resource name.",
                path);
        var dependsOn = DependsOn(resource, path, evaluator);
        // A resource that is not deployed keeps only what dependsOn resolution needs; its properties may not even be evaluable.
        if (!TemplateValues.EvaluateCondition(resource, path, evaluator))
            return new ResourceInstance(path, id, type, name, copyName, Deployed: false, "", [], dependsOn);
        var body = TemplateValues.EvaluateObject(resource, path, evaluator, TemplateOnlyKeys);
        return new ResourceInstance(path, id, type, name, copyName, Deployed: true, Text("apiVersion"), body, dependsOn);
    }

    private static List<DependsOnEntry> DependsOn(JsonObject resource, string path, ExpressionEvaluator evaluator)
    {
        var dependsOnPath = TemplateValues.Child(path, "dependsOn");
        var entries = Values.Property(resource, "dependsOn") as JsonArray ?? [];
        return entries.Select((entry, j) =>
        {
            var entryPath = TemplateValues.Index(dependsOnPath, j);
            return new DependsOnEntry(TemplateValues.EvaluateText(entry, entryPath, evaluator), entryPath);
        }).ToList();
    }
}
