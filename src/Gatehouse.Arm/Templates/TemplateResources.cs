using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Arm.Functions;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Templates;

/// <summary>
/// Declares a template's resources into the deployment: the "resources" array, or in languageVersion 2.0 the object of
/// symbolic names; copy loops (with <c>mode: serial</c> batches), child resources nested under a parent, extension
/// resources with a <c>scope</c>, and nested deployments (inline or linked), whose template's resources take their place.
/// </summary>
internal static class TemplateResources
{
    /// <summary>Keys that describe the resource to ARM rather than being part of the body sent to the provider.</summary>
    private static readonly HashSet<string> TemplateOnlyKeys = new(
        ["type", "name", "apiVersion", "dependsOn", "condition", "copy", "comments", "resources", "scope", "existing", "subscriptionId", "resourceGroup"],
        StringComparer.OrdinalIgnoreCase);

    /// <param name="pathPrefix">Where the template sits in the deployment's template: empty, or the path to a nested template plus '.'.</param>
    public static List<ResourceInstance> Declare(TemplateContext context, string pathPrefix)
    {
        var declared = new List<ResourceInstance>();
        switch (Values.Property(context.Template, "resources"))
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    declared.AddRange(DeclareResource(context, array[i], $"{pathPrefix}resources[{i}]", symbolicName: null, parent: null));
                break;
            case JsonObject symbolic:
                foreach (var (name, resource) in symbolic)
                    declared.AddRange(DeclareResource(context, resource, $"{pathPrefix}resources.{name}", name, parent: null));
                break;
        }
        return declared;
    }

    private static List<ResourceInstance> DeclareResource(TemplateContext context, JsonNode? node, string path, string? symbolicName, ResourceInstance? parent)
    {
        var resource = node as JsonObject ?? throw new ArmException("InvalidTemplate", $"The template resource at '{path}' must be an object.", path);
        if (Values.Property(resource, "copy") is not JsonObject copy) return DeclareInstance(context, resource, path, symbolicName, parent, copyName: null, copyIndex: null);

        var copyPath = TemplateValues.Child(path, "copy");
        var evaluator = context.Evaluator;
        var name = CopyLoops.Name(copy, copyPath, evaluator);
        var count = CopyLoops.Count(copy, copyPath, evaluator);
        context.Resources.AddCopyLoop(name);
        var iterations = Enumerable.Range(0, count)
            .Select(index => context.InCopy(name, index, isPropertyLoop: false,
                () => DeclareInstance(context, resource, $"{path}[{index}]", symbolicName, parent, name, index)))
            .ToList();
        SerializeBatches(copy, copyPath, iterations.Select(instances => instances[0]).ToList(), evaluator);
        return iterations.SelectMany(instances => instances).ToList();
    }

    /// <summary>With <c>mode: serial</c>, each batch of <c>batchSize</c> (default 1) instances waits for the batch before it.</summary>
    private static void SerializeBatches(JsonObject copy, string copyPath, List<ResourceInstance> instances, ExpressionEvaluator evaluator)
    {
        if (Values.Property(copy, "mode") is not { } modeNode
            || !string.Equals(TemplateValues.EvaluateText(modeNode, TemplateValues.Child(copyPath, "mode"), evaluator), "serial", StringComparison.OrdinalIgnoreCase)) return;
        var batchPath = TemplateValues.Child(copyPath, "batchSize");
        var batchSize = Values.TryGetProperty(copy, "batchSize", out var batchNode)
            ? (Values.TryGetInteger(TemplateValues.Evaluate(batchNode, batchPath, evaluator), out var size) && size > 0 ? size
                : throw new ArmException("InvalidTemplate", $"The copy batchSize at '{batchPath}' must be a positive integer.", batchPath))
            : 1;
        for (var i = (int)batchSize; i < instances.Count; i++)
        {
            var previousBatch = instances.Skip((int)((i / batchSize - 1) * batchSize)).Take((int)batchSize);
            instances[i].DependsOn.AddRange(previousBatch.Select(previous => new DependsOnEntry(previous.Id, batchPath)));
        }
    }

    /// <summary>The instance first, then its child resources (declared in the same copy iteration), then nested templates' resources.</summary>
    private static List<ResourceInstance> DeclareInstance(
        TemplateContext context, JsonObject resource, string path, string? symbolicName, ResourceInstance? parent, string? copyName, long? copyIndex)
    {
        var evaluator = context.Evaluator;
        string Text(string key) => TemplateValues.EvaluateText(Values.Property(resource, key), TemplateValues.Child(path, key), evaluator);

        var (type, name) = (Text("type"), Text("name"));
        // A child's type is relative ('extensions', 'providers/diagnosticSettings') unless it starts with a namespace.
        if (parent is not null && !type.Split('/')[0].Contains('.'))
            (type, name) = ($"{parent.Type}/{type}", $"{parent.Name}/{name}");
        var id = ResourceIds.TryBuild(ScopeId(context, resource, path), type, name)
            ?? throw new ArmException("InvalidTemplate",
                $"The template resource '{name}' for type '{type}' at '{path}' has incorrect segment lengths. A nested resource type must have identical number of segments as its resource name.",
                path);
        var existing = Values.TryGetProperty(resource, "existing", out var existingNode) && Values.TryGetBoolean(existingNode, out var isExisting) && isExisting;
        var deployed = !existing && (parent?.Deployed ?? true) && TemplateValues.EvaluateCondition(resource, path, evaluator);
        var copies = context.Copies;
        var runsAtItsTurn = false;
        var nested = deployed && NestedDeployments.IsNested(type, resource) ? NestedDeployments.Context(context, id, name, resource, path, out runsAtItsTurn) : null;
        Func<JsonObject> body = nested is not null
            ? () => NestedDeployments.Body(nested)
            : () => context.Resources.Deferrable(() => context.WithCopies(copies, () => runsAtItsTurn
                ? NestedDeployments.RunBody(resource, path, evaluator, TemplateOnlyKeys)
                : TemplateValues.EvaluateObject(resource, path, evaluator, TemplateOnlyKeys)));
        var instance = new ResourceInstance(path, id, type, name, deployed, existing, body)
        {
            RunsAtItsTurn = runsAtItsTurn,
            Declaration = resource,
            // A resource that is not deployed keeps only what dependsOn resolution needs; its properties may not even be evaluable.
            ApiVersion = deployed || existing ? Text("apiVersion") : "",
            CopyName = copyName,
            CopyIndex = copyIndex,
            SymbolicName = symbolicName,
            DependsOn = DependsOn(resource, path, evaluator),
        };
        if (parent is not null) instance.DependsOn.Add(new DependsOnEntry(parent.Id, path));
        context.Resources.Add(instance);

        var declared = new List<ResourceInstance> { instance };
        var children = Values.Property(resource, "resources") as JsonArray ?? [];
        for (var i = 0; i < children.Count; i++)
            declared.AddRange(DeclareResource(context, children[i], $"{path}.resources[{i}]", symbolicName: null, instance));
        if (nested is not null) instance.Members = NestedDeployments.Declare(nested, instance);
        return declared;
    }

    /// <summary>
    /// The id the resource's own type and name go under: the deployment's resource group; the resource group (and
    /// subscription) named by a nested deployment's <c>resourceGroup</c>/<c>subscriptionId</c>; or for an extension
    /// resource, the resource its <c>scope</c> names by id, symbolic name or 'Type/name'.
    /// </summary>
    private static string ScopeId(TemplateContext context, JsonObject resource, string path)
    {
        var evaluator = context.Evaluator;
        string? Optional(string key) => Values.TryGetProperty(resource, key, out var node) ? TemplateValues.EvaluateText(node, TemplateValues.Child(path, key), evaluator) : null;

        if (Optional("scope") is { } scope)
        {
            if (scope.StartsWith('/')) return scope;
            return context.Resources.NamedBy(scope).FirstOrDefault()?.Id
                ?? $"{DeploymentFunctions.ResourceGroupId(context.Scope)}/providers/{scope}";
        }
        var subscription = Optional("subscriptionId") ?? context.Scope.SubscriptionId;
        return $"{DeploymentFunctions.SubscriptionScopeId(subscription)}/resourceGroups/{Optional("resourceGroup") ?? context.Scope.ResourceGroup}";
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
