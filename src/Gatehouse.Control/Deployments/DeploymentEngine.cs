using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Control.Store;
using Gatehouse.Errors;
using Gatehouse.Network;
using Gatehouse.Network.ApplicationGateways;
using Gatehouse.Network.Vaults;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Control.Deployments;

/// <summary>
/// Every change to resources goes through here: deployments (in the background), resource PUT/DELETE and resource group
/// DELETE. Changes to one resource group run one at a time, as ARM serialises deployments that touch the same resources;
/// changes to different groups run side by side, and only their short apply-and-commit step takes turns. A change is
/// all or nothing: provision, check the gateways it leaves, apply them to the runtime, then commit to the store in one
/// transaction; when anything fails, or a deployment is canceled, the store and the served gateways stay as they were.
/// Instances that share the store take turns to apply and commit through <see cref="IResourceStore.LockChangesAsync"/>,
/// and each serves the revisions the others commit through <see cref="CatchUpAsync"/>, in turn with its own commits.
/// </summary>
internal sealed class DeploymentEngine(
    IResourceStore store, IGatewayRuntime runtime, Credentials credentials, AccessKeys keys, ILogger logger) : IAsyncDisposable
{
    private const string DeploymentFailedMessage =
        "At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _commit = new(1, 1);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _starting = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TemplateLinkFetcher _links = new();
    private long _appliedRevision = -1;

    /// <summary>The store's revision that the runtime serves (-1 before the first is applied).</summary>
    public long AppliedRevision => Interlocked.Read(ref _appliedRevision);

    /// <summary>On start: deployments cut short by a stop committed nothing, and the stored gateways serve again.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        FailOrphanedDeployments();
        var stored = store.ReadRevision(ServedTypes);
        using var prepared = runtime.Prepare(stored.Resources);
        await prepared.ApplyAsync(ct);
        Interlocked.Exchange(ref _appliedRevision, stored.Number);
        logger.LogInformation("Applied {Count} stored application gateway(s) of revision {Revision} to the runtime",
            stored.Resources.Count(r => NetworkProvider.IsApplicationGateway(r.Type)), stored.Number);
    }

    /// <summary>Deployments whose instance stopped before they finished committed nothing: they read Failed.</summary>
    public void FailOrphanedDeployments()
    {
        foreach (var deployment in store.ListOrphanedDeployments())
        {
            store.SaveDeployment(Completed(deployment, new ArmError("DeploymentCanceled", "The server stopped before the deployment finished; nothing of it was committed.")));
        }
    }

    /// <summary>
    /// Serves the stored revision when it is newer than the one served: once per revision, however many times the
    /// store announces it, and never in the middle of a commit of this instance's own.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
        await _commit.WaitAsync(waiting.Token);
        try
        {
            var stored = store.ReadRevision(ServedTypes);
            if (stored.Number <= AppliedRevision) return;
            try
            {
                using var prepared = runtime.Prepare(stored.Resources);
                await prepared.ApplyAsync(_stopping.Token);
                logger.LogInformation("Applied revision {Revision} from the store", stored.Number);
            }
            catch (ArmException e)
            {
                // Another instance served this revision, so it is good; what this machine cannot serve of it is logged, and
                // the revision counts as applied, so that the next one is tried rather than this one again and again.
                logger.LogError("Revision {Revision} from the store cannot be served here: {Code} {Message}", stored.Number, e.Error.Code, e.Error.Message);
            }
            Interlocked.Exchange(ref _appliedRevision, stored.Number);
        }
        finally
        {
            _commit.Release();
        }
    }

    /// <summary>
    /// Reads every Key Vault certificate of the served gateways again (a versionless secret id at its latest version) and
    /// serves the result, as Azure's gateways poll Key Vault; between two commits, never during one.
    /// </summary>
    public async Task RefreshKeyVaultAsync(CancellationToken ct)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
        await _commit.WaitAsync(waiting.Token);
        try
        {
            var stored = store.ReadRevision(ServedTypes);
            if (!stored.Resources.Any(r => NetworkProvider.IsKeyVault(r.Type))) return;
            using var prepared = runtime.Prepare(stored.Resources);
            await prepared.ApplyAsync(_stopping.Token);
            Interlocked.Exchange(ref _appliedRevision, stored.Number);
            logger.LogInformation("Key Vault certificates read again for revision {Revision}", stored.Number);
        }
        catch (ArmException e)
        {
            logger.LogError("Key Vault certificates could not be read again; the gateways keep serving as they were: {Code} {Message}", e.Error.Code, e.Error.Message);
        }
        finally
        {
            _commit.Release();
        }
    }

    /// <summary>
    /// Records the deployment as Running, as ARM answers its PUT, and queues it for its resource group's turn; its status
    /// is then read from the store. <c>Replaced</c>: a deployment of that name existed, so the PUT answers 200, not 201.
    /// </summary>
    public (Deployment Started, bool Replaced) Start(ResourceGroup group, string name, DeploymentRequest request, string correlationId)
    {
        var accepted = new Deployment(group.SubscriptionId, group.Name, name, DeploymentStates.Running, request.Mode, request.TemplateHash,
            correlationId, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow, null, null, null, null, []);
        bool replaced;
        // Two PUTs of the same name at once must not both pass the "not running" check.
        lock (_starting)
        {
            var existing = store.GetDeployment(group.SubscriptionId, group.Name, name);
            if (existing is { IsTerminal: false })
                throw new ArmException("DeploymentActive", $"The deployment '{name}' is still running; wait for it to finish before deploying again under the same name.");
            replaced = existing is not null;
            store.SaveDeployment(accepted);
        }
        logger.LogInformation("Deployment {Deployment} in resource group {ResourceGroup} accepted (correlation {CorrelationId})", name, group.Name, correlationId);
        var canceling = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _running[DeploymentKey(group, name)] = canceling;
        _ = Task.Run(() => RunAsync(accepted, group, request, canceling));
        return (accepted, replaced);
    }

    /// <summary>
    /// ARM's cancel: only an Accepted or Running deployment can be canceled; it ends Canceled, having committed nothing,
    /// so the gateways keep serving as before. A deployment already committing finishes.
    /// </summary>
    public void Cancel(ResourceGroup group, string name)
    {
        var deployment = store.GetDeployment(group.SubscriptionId, group.Name, name)
            ?? throw new ArmException("DeploymentNotFound", $"Deployment '{name}' could not be found.");
        if (deployment.IsTerminal || !_running.TryGetValue(DeploymentKey(group, name), out var canceling))
            throw new ArmException("DeploymentCannotBeCancelled",
                $"The deployment '{name}' cannot be canceled: it is '{deployment.ProvisioningState}'; only an Accepted or Running deployment can be.");
        canceling.Cancel();
        logger.LogInformation("Deployment {Deployment} in resource group {ResourceGroup} cancel requested", name, group.Name);
    }

    private static string DeploymentKey(ResourceGroup group, string name) => $"{group.SubscriptionId}/{group.Name}/{name}";

    /// <summary>Runs everything but the apply and the commit; throws <see cref="ArmException"/> as ARM's validate reports it.</summary>
    public async Task<Deployment> ValidateAsync(ResourceGroup group, string name, DeploymentRequest request, string correlationId, CancellationToken ct)
    {
        var operations = new List<DeploymentOperation>();
        var (expanded, _) = await CheckAsync(group, name, request, correlationId, operations, ct);
        var now = DateTimeOffset.UtcNow;
        return new Deployment(group.SubscriptionId, group.Name, name, DeploymentStates.Succeeded, request.Mode, request.TemplateHash, correlationId,
            Guid.NewGuid().ToString(), now, now, ParametersView(expanded.Parameters), null, null, operations);
    }

    /// <summary>
    /// What the deployment would change, resource by resource, against the store as it is now; a resource holding values
    /// known only at deployment time shows them as their expressions, as ARM's what-if does.
    /// </summary>
    public async Task<JsonArray> WhatIfAsync(ResourceGroup group, string name, DeploymentRequest request, string correlationId, CancellationToken ct)
    {
        var (expanded, changes) = await CheckAsync(group, name, request, correlationId, [], ct);
        return WhatIfChanges.Compare(store.ListResourcesInGroup(group.SubscriptionId, group.Name), changes, expanded.Resources.Where(expanded.IsDeferred).ToList());
    }

    /// <summary>
    /// ARM's preflight: plans the deployment, provisions every resource whose values are known before anything is
    /// deployed, and checks the gateways the deployment would leave; what depends on deployment-time values is checked
    /// when it deploys. ARM reports a failure as an invalid deployment.
    /// </summary>
    private async Task<(TemplateDeployment Expanded, ResourceChanges Changes)> CheckAsync(ResourceGroup group, string name, DeploymentRequest request,
        string correlationId, List<DeploymentOperation> operations, CancellationToken ct)
    {
        var expanded = await ExpandAsync(group, name, request, ct);
        try
        {
            var changes = Changes(group, request, Preflight(expanded, operations), expanded.Resources.Select(r => r.Id));
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

    /// <summary>
    /// The template's resources; in Complete mode also the deletion of every other resource of the group, which are
    /// those not in <paramref name="deployedIds"/> (by default the provisioned ones).
    /// </summary>
    private ResourceChanges Changes(ResourceGroup group, DeploymentRequest request, List<ProvisionedResource> resources,
        IEnumerable<string>? deployedIds = null, Deployment? completed = null)
    {
        var deployed = (deployedIds ?? resources.Select(r => r.Id)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var deleted = request.IsComplete
            ? store.ListResourcesInGroup(group.SubscriptionId, group.Name).Select(r => r.Id).Where(id => !deployed.Contains(id)).ToList()
            : [];
        return new ResourceChanges(resources, deleted, CompletedDeployment: completed);
    }

    /// <summary>
    /// A PUT of one resource as ARM's long-running PUT: the resource is provisioned and the gateways it leaves compiled
    /// before this returns, so that a refusal is the PUT's answer; then <c>Committed</c> applies and commits it in the
    /// background, in its resource group's turn, and fails with what stopped it.
    /// </summary>
    public async Task<(ProvisionedResource Resource, Task Committed)> StartPutResourceAsync(ResourceInput input)
    {
        var checkedResource = new TaskCompletionSource<ProvisionedResource>(TaskCreationOptions.RunContinuationsAsynchronously);
        var committed = Task.Run(async () =>
        {
            try
            {
                await InGroupOfAsync(input.Id, async () =>
                {
                    var resource = NetworkProvider.Provision(input with { TenantId = credentials.TenantId, OfType = store.ListResources }, store.GetResource);
                    runtime.Prepare(GatewaysAfter(Served(), new ResourceChanges([resource], []))).Dispose();
                    checkedResource.SetResult(resource);
                    await ApplyAndCommitAsync(new ResourceChanges([resource], []));
                    logger.LogInformation("Resource {ResourceId} put", resource.Id);
                    return true;
                }, CancellationToken.None);
            }
            catch (Exception e) when (checkedResource.TrySetException(e))
            {
                // Refused before it was accepted: the PUT answers with the error.
            }
            catch (Exception e) when (e is not ArmException)
            {
                // Accepted, then a fault of ours: the operation the client polls shows a tracking id, the log the exception.
                throw new ArmException(InternalError(e, input.Id));
            }
        });
        return (await checkedResource.Task, committed);
    }

    /// <summary>ARM's PATCH of a resource (UpdateTags): replaces its tags; null when there is no such resource.</summary>
    public Task<ProvisionedResource?> PatchTagsAsync(string id, JsonObject tags, CancellationToken ct) => InGroupOfAsync(id, async () =>
    {
        if (store.GetResource(id) is not { } resource) return null;
        var body = resource.Body.DeepClone().AsObject();
        body["tags"] = tags.DeepClone();
        var patched = resource with { Body = body };
        await ApplyAndCommitAsync(new ResourceChanges([patched], []));
        logger.LogInformation("Tags of resource {ResourceId} replaced", id);
        return patched;
    }, ct);

    /// <summary>The start and stop actions of a gateway: serving begins or ends with the change; null when there is no such gateway.</summary>
    public Task<ProvisionedResource?> SetOperationalStateAsync(string id, GatewayOperationalState state, CancellationToken ct) => InGroupOfAsync(id, async () =>
    {
        if (store.GetResource(id) is not { } gateway || !NetworkProvider.IsApplicationGateway(gateway.Type)) return null;
        var changed = NetworkProvider.WithOperationalState(gateway, state);
        await ApplyAndCommitAsync(new ResourceChanges([changed], []));
        logger.LogInformation("Application gateway {ResourceId} is {State}", id, state);
        return changed;
    }, ct);

    /// <summary>False when there was no such resource.</summary>
    public Task<bool> DeleteResourceAsync(string id, CancellationToken ct) => InGroupOfAsync(id, async () =>
    {
        if (store.GetResource(id) is null) return false;
        await ApplyAndCommitAsync(new ResourceChanges([], [id]));
        logger.LogInformation("Resource {ResourceId} deleted", id);
        return true;
    }, ct);

    public Task DeleteResourceGroupAsync(ResourceGroup group, CancellationToken ct) => InGroupAsync(group, async () =>
    {
        var resourceIds = store.ListResourcesInGroup(group.SubscriptionId, group.Name).Select(r => r.Id).ToList();
        await ApplyAndCommitAsync(new ResourceChanges([], resourceIds, DeletedResourceGroup: group));
        logger.LogInformation("Resource group {ResourceGroup} deleted with {Count} resource(s)", group.Name, resourceIds.Count);
        return true;
    }, ct);

    private async Task RunAsync(Deployment accepted, ResourceGroup group, DeploymentRequest request, CancellationTokenSource canceling)
    {
        try
        {
            await InGroupAsync(group, async () =>
            {
                var completed = await DeployAsync(accepted, group, request, canceling.Token);
                if (completed.Error is null)
                    logger.LogInformation("Deployment {Deployment} in resource group {ResourceGroup} {State}", completed.Name, group.Name, completed.ProvisioningState);
                else
                    logger.LogWarning("Deployment {Deployment} in resource group {ResourceGroup} failed: {Code} {Message}",
                        completed.Name, group.Name, completed.Error.Code, completed.Error.Details is [var inner, ..] ? $"{inner.Code}: {inner.Message}" : completed.Error.Message);
                return true;
            }, canceling.Token);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            // Canceled while waiting for its resource group.
            store.SaveDeployment(Canceled(accepted));
            logger.LogInformation("Deployment {Deployment} in resource group {ResourceGroup} canceled", accepted.Name, group.Name);
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting in line: the next start reports the deployment as canceled.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Deployment {Deployment} in resource group {ResourceGroup} could not be recorded", accepted.Name, group.Name);
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<string, CancellationTokenSource>(DeploymentKey(group, accepted.Name), canceling));
            canceling.Dispose();
        }
    }

    /// <summary>Returns the completed deployment; a failure is saved on its own, a success is committed with the resources.</summary>
    private async Task<Deployment> DeployAsync(Deployment running, ResourceGroup group, DeploymentRequest request, CancellationToken ct)
    {
        var operations = new List<DeploymentOperation>();
        TemplateDeployment expanded;
        try
        {
            expanded = await ExpandAsync(group, running.Name, request, ct);
        }
        catch (ArmException e)
        {
            // ARM reports template errors as they are, not as a failed resource operation.
            return SaveFailure(running, e.Error, operations);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return SaveCanceled(running, operations);
        }
        var withParameters = running with { Parameters = ParametersView(expanded.Parameters) };
        try
        {
            var provisioned = new Dictionary<string, ProvisionedResource>(StringComparer.OrdinalIgnoreCase);
            var outputs = expanded.Run(resource =>
            {
                ct.ThrowIfCancellationRequested();
                return Render(Provision(resource, provisioned, operations));
            }, DeployedState(store.GetResource));
            var resources = provisioned.Values.ToList();
            var succeeded = Completed(withParameters with { Outputs = OutputsView(outputs), Operations = operations.ToList() }, null);
            ct.ThrowIfCancellationRequested();
            await ApplyAndCommitAsync(Changes(group, request, resources, completed: succeeded));
            return succeeded;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            return SaveCanceled(withParameters, operations);
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

    /// <summary>A fault of ours: the deployment or operation shows a tracking id, the log holds the exception under it.</summary>
    private ArmError InternalError(Exception e, string deploymentOrResource)
    {
        var trackingId = Guid.NewGuid().ToString();
        logger.LogError(e, "{DeploymentOrResource} broke, tracking id {TrackingId}", deploymentOrResource, trackingId);
        return ArmErrors.InternalServerError(trackingId);
    }

    private Deployment SaveFailure(Deployment deployment, ArmError error, List<DeploymentOperation> operations)
    {
        var failed = Completed(deployment with { Operations = operations.ToList() }, error);
        store.SaveDeployment(failed);
        return failed;
    }

    private Deployment SaveCanceled(Deployment deployment, List<DeploymentOperation> operations)
    {
        var canceled = Canceled(deployment with { Operations = operations.ToList() });
        store.SaveDeployment(canceled);
        return canceled;
    }

    private static Deployment Canceled(Deployment deployment) =>
        deployment with { ProvisioningState = DeploymentStates.Canceled, EndTime = DateTimeOffset.UtcNow };

    private static Deployment Completed(Deployment deployment, ArmError? error) => deployment with
    {
        ProvisioningState = error is null ? DeploymentStates.Succeeded : DeploymentStates.Failed,
        EndTime = DateTimeOffset.UtcNow,
        Error = error,
    };

    /// <summary>
    /// The planned deployment; reference() sees a resource outside it as the store has it now, and a resource of it as
    /// this deployment provisions it, at the reader's turn (see <see cref="TemplateDeployment.Run"/>).
    /// list* functions read the provider's <see cref="AccessKeys"/>; linked templates are fetched first (see
    /// <see cref="TemplateLinkFetcher"/>), and a fetch that fails fails the deployment: values are never deferred here, so
    /// nothing is provisioned with an expression's text.
    /// </summary>
    private Task<TemplateDeployment> ExpandAsync(ResourceGroup group, string name, DeploymentRequest request, CancellationToken ct)
    {
        var scope = new DeploymentScope(credentials.TenantId, group.SubscriptionId, group.Name, group.Location, name);
        var options = new ExpansionOptions
        {
            UtcNow = DateTimeOffset.UtcNow, ResolveResource = DeployedState(store.GetResource), ListResource = keys.List,
            ResolveKeyVaultReference = reference =>
                new KeyVaultSecrets([.. store.ListResources(KeyVaultSecrets.VaultType), .. store.ListResources(KeyVaultSecrets.SecretType)])
                    .ReadForTemplateDeployment(reference.Parameter, reference.VaultId, reference.SecretName, reference.SecretVersion),
        };
        return _links.ExpandAsync(resolve => TemplateExpander.ExpandResources(request.Template, request.Parameters, scope,
            options with { ResolveTemplateLink = resolve }), ct);
    }

    /// <summary>reference()'s view of a resource: what a GET returns at its api-version, so no secret reaches an output.</summary>
    private static Func<string, JsonObject?> DeployedState(Func<string, ProvisionedResource?> lookup) =>
        id => lookup(id) is { } resource ? Render(resource) : null;

    private static JsonObject Render(ProvisionedResource resource) => NetworkProvider.Render(resource, resource.ApiVersion);

    /// <summary>One resource at its turn: it sees the ones provisioned before it, then the store; its operation is recorded either way.</summary>
    private ProvisionedResource Provision(ExpandedResource expanded, Dictionary<string, ProvisionedResource> provisioned, List<DeploymentOperation> operations)
    {
        var operation = new DeploymentOperation(Guid.NewGuid().ToString("N").ToUpperInvariant(), DeploymentStates.Succeeded, DateTimeOffset.UtcNow,
            expanded.Id, expanded.Type, expanded.Name, null);
        try
        {
            var resource = NetworkProvider.Provision(
                new ResourceInput(expanded.Id, expanded.Type, expanded.Name, expanded.ApiVersion, expanded.Body)
                {
                    TenantId = credentials.TenantId,
                    OfType = type => [.. provisioned.Values.Where(r => r.Type.Equals(type, StringComparison.OrdinalIgnoreCase))
                        .Concat(store.ListResources(type).Where(r => !provisioned.ContainsKey(r.Id)))],
                },
                id => provisioned.GetValueOrDefault(id) ?? store.GetResource(id));
            provisioned[resource.Id] = resource;
            operations.Add(operation);
            return resource;
        }
        catch (ArmException e)
        {
            operations.Add(operation with { ProvisioningState = DeploymentStates.Failed, Error = e.Error });
            throw;
        }
    }

    /// <summary>The resources <see cref="TemplateDeployment.Preflight"/> checks, provisioned as a deployment would provision them.</summary>
    private List<ProvisionedResource> Preflight(TemplateDeployment expanded, List<DeploymentOperation> operations)
    {
        var provisioned = new Dictionary<string, ProvisionedResource>(StringComparer.OrdinalIgnoreCase);
        expanded.Preflight(resource => Provision(resource, provisioned, operations));
        return provisioned.Values.ToList();
    }

    /// <summary>
    /// Takes turns with every other group's commit, in this instance and in every instance sharing the store: the
    /// runtime serves every group's gateways from one plan, and each commit must see the one before.
    /// </summary>
    private async Task ApplyAndCommitAsync(ResourceChanges changes)
    {
        await _commit.WaitAsync(_stopping.Token);
        try
        {
            await using var turn = await store.LockChangesAsync(_stopping.Token);
            await ApplyAndCommitInTurnAsync(changes);
        }
        finally
        {
            _commit.Release();
        }
    }

    private async Task ApplyAndCommitInTurnAsync(ResourceChanges changes)
    {
        var before = Served();
        var after = GatewaysAfter(before, changes);
        using (var prepared = runtime.Prepare(after)) await prepared.ApplyAsync(_stopping.Token);
        // Applying may end on a socket event thread (the last connection of a retired port closing, an error page
        // fetched); the commit is synchronous, and its socket waits for that thread to report it ready.
        await Task.Yield();
        try
        {
            Interlocked.Exchange(ref _appliedRevision, store.Commit(changes));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Commit failed; applying the previous {Count} gateway(s) again", before.Count);
            using var previous = runtime.Prepare(before);
            await previous.ApplyAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>What the data plane serves from: the stored gateways, WAF policies, the interfaces and scale sets in their pools, and the Key Vault they read.</summary>
    private List<ProvisionedResource> Served() => [.. store.ReadRevision(ServedTypes).Resources];

    private static IReadOnlyList<string> ServedTypes => NetworkProvider.ServedTypes;

    /// <summary>
    /// What the data plane serves once <paramref name="changes"/> are made. Key Vault changes (a rotated secret, a revoked
    /// permission) reach it when a gateway is deployed, which reads its certificates again as Azure's update does, or at the
    /// next Key Vault refresh (<see cref="RefreshKeyVaultAsync"/>), as Azure polls; not the moment the secret changes.
    /// </summary>
    private static List<ProvisionedResource> GatewaysAfter(IReadOnlyList<ProvisionedResource> before, ResourceChanges changes)
    {
        var gatewayDeployed = changes.Upserts.Any(r => NetworkProvider.IsApplicationGateway(r.Type));
        bool Applies(string type) => gatewayDeployed || !NetworkProvider.IsKeyVault(type);
        var changed = changes.Upserts.Select(r => r.Id).Concat(changes.DeletedResourceIds).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return before.Where(r => !changed.Contains(r.Id) || !Applies(r.Type))
            .Concat(changes.Upserts.Where(r => NetworkProvider.IsServed(r.Type) && Applies(r.Type)))
            .ToList();
    }

    private Task<T> InGroupOfAsync<T>(string resourceId, Func<Task<T>> change, CancellationToken ct)
    {
        var segments = resourceId.Split('/');
        return InGroupAsync(segments.Length > 4 ? $"{segments[2]}/{segments[4]}" : resourceId, change, ct);
    }

    private Task<T> InGroupAsync<T>(ResourceGroup group, Func<Task<T>> change, CancellationToken ct) =>
        InGroupAsync($"{group.SubscriptionId}/{group.Name}", change, ct);

    /// <summary>Runs <paramref name="change"/> when no other change to the resource group <paramref name="groupKey"/> runs.</summary>
    private async Task<T> InGroupAsync<T>(string groupKey, Func<Task<T>> change, CancellationToken ct)
    {
        var gate = _groups.GetOrAdd(groupKey, _ => new SemaphoreSlim(1, 1));
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
        await gate.WaitAsync(waiting.Token);
        try
        {
            return await change();
        }
        finally
        {
            gate.Release();
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

    /// <summary>Stops taking work and waits for the changes in progress to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var gate in _groups.Values) await gate.WaitAsync();
        await _commit.WaitAsync();
        _links.Dispose();
    }
}
