using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Control.Store;
using Gatehouse.Errors;
using Gatehouse.Network;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Control.Deployments;

/// <summary>
/// Every change to resources goes through here, one at a time: deployments (in the background), resource PUT/DELETE and
/// resource group DELETE. A change is all or nothing: provision, check the gateways it leaves, apply them to the runtime,
/// then commit to the store in one transaction; when anything fails, the store and the served gateways stay as they were.
/// </summary>
internal sealed class DeploymentEngine(
    ResourceStore store, IGatewayRuntime runtime, Credentials credentials, AccessKeys keys, ILogger logger) : IAsyncDisposable
{
    private const string DeploymentFailedMessage =
        "At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _starting = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TemplateLinkFetcher _links = new();

    /// <summary>On start: deployments cut short by a stop committed nothing, and the stored gateways serve again.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        foreach (var deployment in store.ListUnfinishedDeployments())
        {
            store.SaveDeployment(Completed(deployment, new ArmError("DeploymentCanceled", "The server stopped before the deployment finished; nothing of it was committed.")));
        }
        var served = Served();
        using var prepared = runtime.Prepare(served);
        await prepared.ApplyAsync(ct);
        logger.LogInformation("Applied {Count} stored application gateway(s) to the runtime", served.Count(r => NetworkProvider.IsApplicationGateway(r.Type)));
    }

    /// <summary>Records the deployment as Accepted and queues it; its status is then read from the store.</summary>
    public Deployment Start(ResourceGroup group, string name, DeploymentRequest request, string correlationId)
    {
        var accepted = new Deployment(group.SubscriptionId, group.Name, name, DeploymentStates.Accepted, request.Mode, request.TemplateHash,
            correlationId, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow, null, null, null, null, []);
        // Two PUTs of the same name at once must not both pass the "not running" check.
        lock (_starting)
        {
            if (store.GetDeployment(group.SubscriptionId, group.Name, name) is { IsTerminal: false })
                throw new ArmException("DeploymentActive", $"The deployment '{name}' is still running; wait for it to finish before deploying again under the same name.");
            store.SaveDeployment(accepted);
        }
        logger.LogInformation("Deployment {Deployment} in resource group {ResourceGroup} accepted (correlation {CorrelationId})", name, group.Name, correlationId);
        _ = Task.Run(() => RunAsync(accepted, group, request));
        return accepted;
    }

    /// <summary>Runs everything but the apply and the commit; throws <see cref="ArmException"/> as ARM's validate reports it.</summary>
    public async Task<Deployment> ValidateAsync(ResourceGroup group, string name, DeploymentRequest request, string correlationId, CancellationToken ct)
    {
        var operations = new List<DeploymentOperation>();
        var (expanded, _) = await CheckAsync(group, name, request, correlationId, operations, ct);
        var now = DateTimeOffset.UtcNow;
        return new Deployment(group.SubscriptionId, group.Name, name, DeploymentStates.Succeeded, request.Mode, request.TemplateHash, correlationId,
            Guid.NewGuid().ToString(), now, now, ParametersView(expanded.Parameters), null, null, operations);
    }

    /// <summary>What the deployment would change, resource by resource, against the store as it is now.</summary>
    public async Task<JsonArray> WhatIfAsync(ResourceGroup group, string name, DeploymentRequest request, string correlationId, CancellationToken ct)
    {
        var (_, changes) = await CheckAsync(group, name, request, correlationId, [], ct);
        return WhatIfChanges.Compare(store.ListResourcesInGroup(group.SubscriptionId, group.Name), changes);
    }

    /// <summary>Expands, provisions and checks the gateways the deployment would leave; ARM reports a failure as an invalid deployment.</summary>
    private async Task<(TemplateDeployment Expanded, ResourceChanges Changes)> CheckAsync(ResourceGroup group, string name, DeploymentRequest request,
        string correlationId, List<DeploymentOperation> operations, CancellationToken ct)
    {
        var expanded = await ExpandAsync(group, name, request, ct);
        try
        {
            var changes = Changes(group, request, Provision(expanded.Resources, operations));
            // The same compile as an apply, so validate refuses exactly what a deployment would; the plan (and the private
            // keys it loaded) is released at once rather than left to the collector.
            runtime.Prepare(GatewaysAfter(Served(), changes)).Dispose();
            return (expanded, changes);
        }
        catch (ArmException e)
        {
            throw new ArmException(new ArmError("InvalidTemplateDeployment",
                $"The template deployment '{name}' is not valid according to the validation procedure. The tracking id is '{correlationId}'. See inner errors for details.",
                Details: ArmErrors.Problems(e.Error)));
        }
    }

    /// <summary>The template's resources; in Complete mode also the deletion of every other resource of the group.</summary>
    private ResourceChanges Changes(ResourceGroup group, DeploymentRequest request, List<ProvisionedResource> resources, Deployment? completed = null)
    {
        var deployed = resources.Select(r => r.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var deleted = request.IsComplete
            ? store.ListResourcesInGroup(group.SubscriptionId, group.Name).Select(r => r.Id).Where(id => !deployed.Contains(id)).ToList()
            : [];
        return new ResourceChanges(resources, deleted, CompletedDeployment: completed);
    }

    /// <summary>A PUT of one resource: like a deployment of just that resource, but synchronous.</summary>
    public Task<ProvisionedResource> PutResourceAsync(ResourceInput input, CancellationToken ct) => OneAtATimeAsync(async () =>
    {
        var resource = NetworkProvider.Provision(input, store.GetResource);
        await ApplyAndCommitAsync(new ResourceChanges([resource], []));
        logger.LogInformation("Resource {ResourceId} put", resource.Id);
        return resource;
    }, ct);

    /// <summary>ARM's PATCH of a resource (UpdateTags): replaces its tags; null when there is no such resource.</summary>
    public Task<ProvisionedResource?> PatchTagsAsync(string id, JsonObject tags, CancellationToken ct) => OneAtATimeAsync(async () =>
    {
        if (store.GetResource(id) is not { } resource) return null;
        var body = resource.Body.DeepClone().AsObject();
        body["tags"] = tags.DeepClone();
        var patched = resource with { Body = body };
        await ApplyAndCommitAsync(new ResourceChanges([patched], []));
        logger.LogInformation("Tags of resource {ResourceId} replaced", id);
        return patched;
    }, ct);

    /// <summary>False when there was no such resource.</summary>
    public Task<bool> DeleteResourceAsync(string id, CancellationToken ct) => OneAtATimeAsync(async () =>
    {
        if (store.GetResource(id) is null) return false;
        await ApplyAndCommitAsync(new ResourceChanges([], [id]));
        logger.LogInformation("Resource {ResourceId} deleted", id);
        return true;
    }, ct);

    public Task DeleteResourceGroupAsync(ResourceGroup group, CancellationToken ct) => OneAtATimeAsync(async () =>
    {
        var resourceIds = store.ListResourcesInGroup(group.SubscriptionId, group.Name).Select(r => r.Id).ToList();
        await ApplyAndCommitAsync(new ResourceChanges([], resourceIds, DeletedResourceGroup: group));
        logger.LogInformation("Resource group {ResourceGroup} deleted with {Count} resource(s)", group.Name, resourceIds.Count);
        return true;
    }, ct);

    private async Task RunAsync(Deployment accepted, ResourceGroup group, DeploymentRequest request)
    {
        try
        {
            await OneAtATimeAsync(async () =>
            {
                var running = accepted with { ProvisioningState = DeploymentStates.Running };
                store.SaveDeployment(running);
                var completed = await DeployAsync(running, group, request);
                if (completed.Error is null)
                    logger.LogInformation("Deployment {Deployment} in resource group {ResourceGroup} succeeded", completed.Name, group.Name);
                else
                    logger.LogWarning("Deployment {Deployment} in resource group {ResourceGroup} failed: {Code} {Message}",
                        completed.Name, group.Name, completed.Error.Code, completed.Error.Details is [var inner, ..] ? $"{inner.Code}: {inner.Message}" : completed.Error.Message);
                return true;
            }, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting in line: the next start reports the deployment as canceled.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Deployment {Deployment} in resource group {ResourceGroup} could not be recorded", accepted.Name, group.Name);
        }
    }

    /// <summary>Returns the completed deployment; a failure is saved on its own, a success is committed with the resources.</summary>
    private async Task<Deployment> DeployAsync(Deployment running, ResourceGroup group, DeploymentRequest request)
    {
        var operations = new List<DeploymentOperation>();
        TemplateDeployment expanded;
        try
        {
            expanded = await ExpandAsync(group, running.Name, request, _stopping.Token);
        }
        catch (ArmException e)
        {
            // ARM reports template errors as they are, not as a failed resource operation.
            return SaveFailure(running, e.Error, operations);
        }
        var withParameters = running with { Parameters = ParametersView(expanded.Parameters) };
        try
        {
            var resources = Provision(expanded.Resources, operations);
            var deployed = resources.ToDictionary(r => r.Id, StringComparer.OrdinalIgnoreCase);
            var outputs = expanded.EvaluateOutputs(DeployedState(id => deployed.GetValueOrDefault(id) ?? store.GetResource(id)));
            var succeeded = Completed(withParameters with { Outputs = OutputsView(outputs), Operations = operations.ToList() }, null);
            await ApplyAndCommitAsync(Changes(group, request, resources, succeeded));
            return succeeded;
        }
        catch (Exception e)
        {
            var error = e switch
            {
                ArmException arm => arm.Error,
                OperationCanceledException => new ArmError("DeploymentCanceled", "The server stopped while the deployment was running; nothing of it was committed."),
                _ => InternalError(e, running.Name),
            };
            return SaveFailure(withParameters, new ArmError("DeploymentFailed", DeploymentFailedMessage, Details: ArmErrors.Problems(error)), operations);
        }
    }

    /// <summary>A fault of ours: the deployment shows a tracking id, the log holds the exception under it.</summary>
    private ArmError InternalError(Exception e, string deployment)
    {
        var trackingId = Guid.NewGuid().ToString();
        logger.LogError(e, "Deployment {Deployment} broke, tracking id {TrackingId}", deployment, trackingId);
        return ArmErrors.InternalServerError(trackingId);
    }

    private Deployment SaveFailure(Deployment deployment, ArmError error, List<DeploymentOperation> operations)
    {
        var failed = Completed(deployment with { Operations = operations.ToList() }, error);
        store.SaveDeployment(failed);
        return failed;
    }

    private static Deployment Completed(Deployment deployment, ArmError? error) => deployment with
    {
        ProvisioningState = error is null ? DeploymentStates.Succeeded : DeploymentStates.Failed,
        EndTime = DateTimeOffset.UtcNow,
        Error = error,
    };

    /// <summary>
    /// The template's resources; reference() sees a resource already in the store as it is now, and the outputs wait
    /// for the resources as this deployment provisions them (see <see cref="TemplateDeployment.EvaluateOutputs"/>).
    /// list* functions read the provider's <see cref="AccessKeys"/>; linked templates are fetched first (see
    /// <see cref="TemplateLinkFetcher"/>), and a fetch that fails fails the deployment: values are never deferred here, so
    /// nothing is provisioned with an expression's text.
    /// </summary>
    private Task<TemplateDeployment> ExpandAsync(ResourceGroup group, string name, DeploymentRequest request, CancellationToken ct)
    {
        var scope = new DeploymentScope(credentials.TenantId, group.SubscriptionId, group.Name, group.Location, name);
        var options = new ExpansionOptions { UtcNow = DateTimeOffset.UtcNow, ResolveResource = DeployedState(store.GetResource), ListResource = keys.List };
        return _links.ExpandAsync(resolve => TemplateExpander.ExpandResources(request.Template, request.Parameters, scope,
            options with { ResolveTemplateLink = resolve }), ct);
    }

    /// <summary>reference()'s view of a resource: what a GET returns at its api-version, so no secret reaches an output.</summary>
    private static Func<string, JsonObject?> DeployedState(Func<string, ProvisionedResource?> lookup) =>
        id => lookup(id) is { } resource ? NetworkProvider.Render(resource, resource.ApiVersion) : null;

    /// <summary>
    /// Provisions in dependency order; each resource sees the ones provisioned before it, then the store. A resource that
    /// fails does not stop the others, so one answer lists every problem; what depends on a failed resource is not tried,
    /// as ARM does not start it.
    /// </summary>
    private List<ProvisionedResource> Provision(IReadOnlyList<ExpandedResource> expandedResources, List<DeploymentOperation> operations)
    {
        var provisioned = new Dictionary<string, ProvisionedResource>(StringComparer.OrdinalIgnoreCase);
        var failed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var problems = new ArmErrorList();
        foreach (var expanded in expandedResources)
        {
            if (expanded.DependsOn.Any(failed.Contains))
            {
                failed.Add(expanded.Id);
                continue;
            }
            var operation = new DeploymentOperation(Guid.NewGuid().ToString("N").ToUpperInvariant(), DeploymentStates.Succeeded, DateTimeOffset.UtcNow,
                expanded.Id, expanded.Type, expanded.Name, null);
            try
            {
                var resource = NetworkProvider.Provision(
                    new ResourceInput(expanded.Id, expanded.Type, expanded.Name, expanded.ApiVersion, expanded.Body),
                    id => provisioned.GetValueOrDefault(id) ?? store.GetResource(id));
                provisioned[resource.Id] = resource;
                operations.Add(operation);
            }
            catch (ArmException e)
            {
                operations.Add(operation with { ProvisioningState = DeploymentStates.Failed, Error = e.Error });
                failed.Add(expanded.Id);
                foreach (var problem in ArmErrors.Problems(e.Error)) problems.Add(problem);
            }
        }
        problems.ThrowIfAny(all => ArmErrors.MultipleErrors("the deployment's resources", all));
        return provisioned.Values.ToList();
    }

    private async Task ApplyAndCommitAsync(ResourceChanges changes)
    {
        var before = Served();
        var after = GatewaysAfter(before, changes);
        using (var prepared = runtime.Prepare(after)) await prepared.ApplyAsync(_stopping.Token);
        try
        {
            store.Commit(changes);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Commit failed; applying the previous {Count} gateway(s) again", before.Count);
            using var previous = runtime.Prepare(before);
            await previous.ApplyAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>What the data plane serves from: the stored gateways and WAF policies.</summary>
    private List<ProvisionedResource> Served() =>
        [.. store.ListResources(NetworkProvider.ApplicationGatewayType), .. store.ListResources(NetworkProvider.WafPolicyType)];

    private static List<ProvisionedResource> GatewaysAfter(IReadOnlyList<ProvisionedResource> before, ResourceChanges changes)
    {
        var changed = changes.Upserts.Select(r => r.Id).Concat(changes.DeletedResourceIds).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return before.Where(g => !changed.Contains(g.Id))
            .Concat(changes.Upserts.Where(r => NetworkProvider.IsServed(r.Type)))
            .ToList();
    }

    private async Task<T> OneAtATimeAsync<T>(Func<Task<T>> change, CancellationToken ct)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
        await _gate.WaitAsync(waiting.Token);
        try
        {
            return await change();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>ARM's parameters view: <c>{name: {type, value}}</c>, without the value of a secure parameter.</summary>
    private static JsonObject ParametersView(IReadOnlyList<BoundParameter> parameters)
    {
        var view = new JsonObject();
        foreach (var parameter in parameters)
        {
            var entry = new JsonObject { ["type"] = parameter.Type };
            if (!parameter.IsSecure) entry["value"] = parameter.Value?.DeepClone();
            view[parameter.Name] = entry;
        }
        return view;
    }

    /// <summary>
    /// Outputs as ARM shows them: <c>{name: {type, value}}</c> with the type in ARM's casing (String, SecureString, Int,
    /// ...), and no value for a secure output.
    /// </summary>
    private static JsonObject OutputsView(JsonObject outputs)
    {
        var view = new JsonObject();
        foreach (var (name, output) in outputs)
        {
            var type = output?["type"]?.GetValue<string>() ?? "";
            var entry = new JsonObject { ["type"] = OutputTypes.FirstOrDefault(t => t.Equals(type, StringComparison.OrdinalIgnoreCase)) ?? type };
            if (!type.StartsWith("secure", StringComparison.OrdinalIgnoreCase)) entry["value"] = output?["value"]?.DeepClone();
            view[name] = entry;
        }
        return view;
    }

    private static readonly string[] OutputTypes = ["String", "SecureString", "Int", "Bool", "Object", "SecureObject", "Array"];

    /// <summary>Stops taking work and waits for the change in progress to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _gate.WaitAsync();
        _links.Dispose();
    }
}
