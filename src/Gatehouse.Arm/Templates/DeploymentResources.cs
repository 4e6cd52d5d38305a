using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Templates;

/// <summary>
/// Every resource instance of a deployment, nested inline templates included, and reference() over them: a resource
/// of this deployment is seen as its evaluated body (provisioningState 'Succeeded'), with what
/// <see cref="ExpansionOptions.ResolveResource"/> knows laid over it; a resource outside it only as the resolver knows it.
/// </summary>
internal sealed class DeploymentResources(ExpansionOptions options)
{
    private readonly List<ResourceInstance> _all = [];
    private readonly HashSet<string> _copyLoops = new(StringComparer.OrdinalIgnoreCase);
    private readonly Stack<ResourceInstance> _evaluating = new();
    private Func<string, JsonObject?>? _resolve = options.ResolveResource;
    private bool _deployed;

    public IReadOnlyList<ResourceInstance> All => _all;

    public void Add(ResourceInstance instance) => _all.Add(instance);

    /// <summary>
    /// Replaces the resolver with the deployed state: once the resources are deployed, outputs read what deploying gave
    /// them, over what the template declares.
    /// </summary>
    public void ResolveWith(Func<string, JsonObject?>? resolve) => (_resolve, _deployed) = (resolve, true);

    /// <summary>A resource copy loop, remembered even with count 0 so that dependsOn may still name it.</summary>
    public void AddCopyLoop(string name) => _copyLoops.Add(name);

    public bool IsCopyLoop(string name) => _copyLoops.Contains(name);

    /// <summary>Evaluates every deployed body; the ones reference() needed are already done.</summary>
    public void EvaluateBodies()
    {
        foreach (var instance in _all.Where(i => i.Deployed)) Body(instance);
    }

    public IEnumerable<ResourceInstance> NamedBy(string reference) => _all.Where(i => i.IsNamedBy(reference));

    public JsonObject Reference(string resource, bool full, DeploymentScope scope)
    {
        var matches = NamedBy(resource).Where(i => i.Deployed || i.Existing).ToList();
        if (matches.Count > 1 && matches.Select(m => m.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1)
            throw new ExpressionException($"The resource '{resource}' passed to reference() is ambiguous: it names {matches.Count} resources of the template; use the resource id.");
        var declared = matches.FirstOrDefault();
        if (declared is null && !resource.StartsWith('/'))
            throw new ExpressionException($"The resource '{resource}' passed to reference() is not defined in the template, or its condition is false.");
        var id = declared?.Id ?? resource;
        if (declared is { Existing: false } && _evaluating.TryPeek(out var dependent))
            dependent.DependsOn.Add(new DependsOnEntry(declared.Id, $"{dependent.Path} (reference)"));
        var resolved = _resolve?.Invoke(id);
        if (resolved is null && declared is not null && NestedDeployments.IsLinked(declared))
            throw new ExpressionException(
                $"The deployment '{declared.Name}' links its template through 'templateLink', which is not fetched locally, so its outputs are not known.");
        var state = Overlay(declared is { Existing: false } ? DeclaredState(declared) : null, resolved, replace: _deployed)
            ?? throw new ExpressionException(
                $"The resource '{id}' is not part of this deployment and its state is not known here; reference() can only read resources of the deployment or of the store.");
        return full ? state : Values.Property(state, "properties") as JsonObject ?? [];
    }

    /// <summary>Evaluates an instance's body, reporting a resource whose properties need themselves through reference().</summary>
    private JsonObject Body(ResourceInstance instance)
    {
        if (instance.IsEvaluating)
        {
            var cycle = _evaluating.Reverse().SkipWhile(i => i != instance).Append(instance).Select(i => $"'{i.Id}'");
            throw new ArmException("InvalidTemplate", $"Circular dependency detected on resource: {string.Join(" -> ", cycle)}.", instance.Path);
        }
        if (instance.IsEvaluated) return instance.Body;
        _evaluating.Push(instance);
        try
        {
            return instance.Body;
        }
        finally
        {
            _evaluating.Pop();
        }
    }

    /// <summary>What ARM would return for the resource once deployed as declared: its body plus id, name, type, apiVersion.</summary>
    private JsonObject DeclaredState(ResourceInstance instance)
    {
        var state = new JsonObject { ["id"] = instance.Id, ["name"] = instance.Name, ["type"] = instance.Type, ["apiVersion"] = instance.ApiVersion };
        foreach (var (key, value) in Body(instance)) state[key] = value?.DeepClone();
        if (Values.Property(state, "properties") is not JsonObject properties) state["properties"] = properties = [];
        if (!Values.TryGetProperty(properties, "provisioningState", out _)) properties["provisioningState"] = "Succeeded";
        return state;
    }

    /// <summary>
    /// The resolver's answer merged into the declared state, object by object. Before the deployment the resolver knows
    /// the resource as it was, so it only adds what the template does not declare (what a provider sets); once
    /// <paramref name="replace"/>, it knows the resource as deployed, and its values replace the declared ones.
    /// </summary>
    private static JsonObject? Overlay(JsonObject? declared, JsonObject? resolved, bool replace)
    {
        if (resolved is null || declared is null) return (declared ?? resolved)?.DeepClone().AsObject();
        var state = declared.DeepClone().AsObject();
        Merge(state, resolved, replace);
        return state;
    }

    private static void Merge(JsonObject target, JsonObject source, bool replace)
    {
        foreach (var (name, value) in source)
        {
            var exists = Values.TryGetProperty(target, name, out var current);
            if (value is JsonObject inner && current is JsonObject existing) Merge(existing, inner, replace);
            else if (replace || !exists) target[name] = value?.DeepClone();
        }
    }
}
