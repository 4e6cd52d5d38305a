using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Templates;

/// <summary>
/// Every resource instance of a deployment, nested inline templates included, and reference() over them, as ARM runs a
/// deployment. While it is planned, reading a resource of this deployment (reference(), list*) makes the reader depend
/// on it and defers the value, which keeps its expression text; once resources are deployed (<see cref="ResolveWith"/>),
/// a resource's turn re-evaluates its deferred values against what deploying gave the resources before it, laid over
/// their evaluated bodies. A resource outside the deployment is seen as <see cref="ExpansionOptions.ResolveResource"/>
/// knows it.
/// </summary>
internal sealed class DeploymentResources(ExpansionOptions options)
{
    private readonly List<ResourceInstance> _all = [];
    private readonly HashSet<string> _copyLoops = new(StringComparer.OrdinalIgnoreCase);
    private readonly Stack<ResourceInstance> _evaluating = new();
    private Func<string, JsonObject?>? _resolve = options.ResolveResource;
    private bool _deployed;
    private readonly List<(ResourceInstance? Instance, string Path, long Sequence)> _deferred = [];
    private long _deferrals;
    private readonly HashSet<ResourceInstance> _holdingDeferred = [];
    private int _deferrable;

    public IReadOnlyList<ResourceInstance> All => _all;

    /// <summary>See <see cref="ExpandedTemplate.DeferredPaths"/>.</summary>
    public IReadOnlyList<string> DeferredPaths => _deferred.Select(d => d.Path).ToList();

    /// <summary>True while the planned resource holds a value known only at deployment time.</summary>
    public bool HoldsDeferred(ResourceInstance instance) => _holdingDeferred.Contains(instance);

    /// <summary>Refused as soon as the deployment passes ARM's resource limit, before more of it is expanded.</summary>
    public void Add(ResourceInstance instance)
    {
        if (_all.Count >= TemplateLimits.MaxResources)
            throw new ArmException("InvalidTemplate",
                $"The number of template resources limit exceeded. Limit: '{TemplateLimits.MaxResources}', and the resource at '{instance.Path}' is one more, " +
                "counting copy loops and nested deployments. Please see https://aka.ms/arm-template-limits for usage details.", instance.Path);
        _all.Add(instance);
    }

    /// <summary>
    /// Replaces the resolver with the deployed state: from now on, resources and outputs read what deploying gave
    /// resources of the deployment, over what the template declares.
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

    public JsonObject Reference(string resource, bool full)
    {
        var (declared, id) = Resolve(resource, "reference");
        if (declared is { Existing: false } && !_deployed) throw KnownAtDeployment(declared);
        var resolved = _resolve?.Invoke(id);
        if (declared is not null && NestedDeployments.IsLinked(declared))
        {
            var unknown = $"The deployment '{declared.Name}' links its template through 'templateLink' and no template link resolver was given, so its outputs are known only after deployment.";
            throw options.DeferLinkedOutputs ? new DeferredValueException(unknown) : new ExpressionException(unknown);
        }
        var state = Overlay(declared is { Existing: false } ? DeclaredState(declared) : null, resolved, replace: true)
            ?? throw NotKnown(id, "reference");
        var type = declared?.Type ?? Functions.ResourceIds.TypeOf(id);
        if (Values.Property(state, "properties") is JsonObject properties) ResourceStates.Mark(properties, type);
        return ResourceStates.Mark(full ? state : Values.Property(state, "properties") as JsonObject ?? [], type);
    }

    /// <summary>
    /// A list* function's answer from <see cref="ExpansionOptions.ListResource"/>, for a resource of the deployment or
    /// one the resolver knows, as for reference(); an error naming the function and type when nobody answers.
    /// </summary>
    public JsonNode? List(string function, string resource, string apiVersion, JsonNode? body)
    {
        var (declared, id) = Resolve(resource, function);
        if (declared is { Existing: false } && !_deployed) throw KnownAtDeployment(declared);
        if (declared is null && _resolve?.Invoke(id) is null) throw NotKnown(id, function);
        var type = declared?.Type ?? Functions.ResourceIds.TypeOf(id);
        return options.ListResource?.Invoke(new ListCall(id, type, apiVersion, function, body))
            ?? throw new ExpressionException(
                $"Unable to evaluate template language function '{function}': no resource provider here answers '{function}' for the resource type '{type}'; " +
                "pass the value as a secure parameter instead.");
    }

    /// <summary>
    /// Evaluates a resource body or an output value, where a value that reads a linked deployment's outputs may keep its
    /// expression text (<see cref="TryDefer"/>).
    /// </summary>
    public T Deferrable<T>(Func<T> evaluate)
    {
        _deferrable++;
        try
        {
            return evaluate();
        }
        finally
        {
            _deferrable--;
        }
    }

    /// <summary>Records a deferred value at <paramref name="path"/>, and that the resource being evaluated holds one; false outside <see cref="Deferrable"/>.</summary>
    public bool TryDefer(string path)
    {
        if (_deferrable == 0) return false;
        var instance = _evaluating.TryPeek(out var evaluating) ? evaluating : null;
        _deferred.Add((instance, path, _deferrals++));
        if (instance is not null) _holdingDeferred.Add(instance);
        return true;
    }

    /// <summary>
    /// Evaluates a value that must be known now (a nested deployment's parameters); <paramref name="known"/> is false,
    /// and the result null, when it reads what only deploying gives.
    /// </summary>
    public T? TryKnownNow<T>(Func<T> evaluate, out bool known)
    {
        var before = _deferrals;
        var value = Deferrable(evaluate);
        known = _deferrals == before;
        if (known) return value;
        _deferred.RemoveAll(d => d.Sequence >= before);
        return default;
    }

    /// <summary>See <see cref="Expressions.IExpressionContext.DependOn"/>.</summary>
    public void DependOn(string resource)
    {
        if (_deployed || !_evaluating.TryPeek(out var dependent)) return;
        foreach (var declared in NamedBy(resource).Where(i => i.Deployed && !i.Existing))
            dependent.DependsOn.Add(new DependsOnEntry(declared.Id, $"{dependent.Path} (reference)"));
    }

    /// <summary>The instance's body at its turn: evaluated again when its plan deferred values to deployment time.</summary>
    public JsonObject BodyAtItsTurn(ResourceInstance instance)
    {
        if (!_holdingDeferred.Remove(instance)) return Body(instance);
        _deferred.RemoveAll(d => d.Instance == instance);
        instance.Reset();
        return Body(instance);
    }

    /// <summary>
    /// The instance reference() or a list* function names, or for a resource id outside the template none; a resource of
    /// the deployment becomes a dependency of the resource being evaluated.
    /// </summary>
    private (ResourceInstance? Declared, string Id) Resolve(string resource, string function)
    {
        var matches = NamedBy(resource).Where(i => i.Deployed || i.Existing).ToList();
        if (matches.Count > 1 && matches.Select(m => m.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1)
            throw new ExpressionException($"The resource '{resource}' passed to {function}() is ambiguous: it names {matches.Count} resources of the template; use the resource id.");
        var declared = matches.FirstOrDefault();
        if (declared is null && !resource.StartsWith('/'))
            throw new ExpressionException($"The resource '{resource}' passed to {function}() is not defined in the template, or its condition is false.");
        if (declared is { Existing: false } && !_deployed && _evaluating.TryPeek(out var dependent))
            dependent.DependsOn.Add(new DependsOnEntry(declared.Id, $"{dependent.Path} ({function})"));
        return (declared, declared?.Id ?? resource);
    }

    private static DeferredValueException KnownAtDeployment(ResourceInstance declared) =>
        new($"The resource '{declared.Id}' is deployed by this deployment: its state is known only after deployment, so it can be read only in resource properties and outputs.");

    private static ExpressionException NotKnown(string id, string function) => new(
        $"The resource '{id}' is not part of this deployment and its state is not known here; {function}() can only read resources of the deployment or of the store.");

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

    /// <summary>
    /// What ARM would return for the resource once deployed as declared: its body plus id, name, type, apiVersion. A body
    /// still holding a deferred value (a linked deployment's outputs) is not known, so whatever reads it is deferred too.
    /// </summary>
    private JsonObject DeclaredState(ResourceInstance instance)
    {
        var body = BodyAtItsTurn(instance);
        if (_holdingDeferred.Contains(instance))
            throw new DeferredValueException($"The resource '{instance.Id}' holds a value known only after deployment.");
        return DeclaredState(instance.Id, instance.Name, instance.Type, instance.ApiVersion, body);
    }

    public static JsonObject DeclaredState(string id, string name, string type, string apiVersion, JsonObject body)
    {
        var state = new JsonObject { ["id"] = id, ["name"] = name, ["type"] = type, ["apiVersion"] = apiVersion };
        foreach (var (key, value) in body) state[key] = value?.DeepClone();
        if (Values.Property(state, "properties") is not JsonObject properties) state["properties"] = properties = [];
        if (!Values.TryGetProperty(properties, "provisioningState", out _)) properties["provisioningState"] = "Succeeded";
        return state;
    }

    /// <summary>
    /// The resolver's answer merged into the declared state, object by object. With <paramref name="replace"/> it knows
    /// the resource as deployed, and its values replace the declared ones; without, it knows the resource as it was, so
    /// it only adds what the template does not declare (what a provider sets).
    /// </summary>
    public static JsonObject? Overlay(JsonObject? declared, JsonObject? resolved, bool replace)
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
            else if (!replace && value is JsonArray items && current is JsonArray declared) MergeElements(declared, items);
            else if (replace || !exists) target[name] = value?.DeepClone();
        }
    }

    /// <summary>
    /// Before the deployment, a resolver may add what a provider sets inside declared sub-resources (a network
    /// interface's ipConfigurations[0].properties.privateIPAddress): the arrays' objects merge position by position.
    /// </summary>
    private static void MergeElements(JsonArray declared, JsonArray resolved)
    {
        for (var i = 0; i < Math.Min(declared.Count, resolved.Count); i++)
            if (declared[i] is JsonObject target && resolved[i] is JsonObject source) Merge(target, source, replace: false);
    }
}
