using System.Text.Json.Nodes;
using Gatehouse.Network;

namespace Gatehouse.Control.Store;

/// <summary>
/// What the control plane keeps: resource groups, resources, deployments with their operations, and the instances that
/// serve them. Two implementations, one behaviour (tests/Gatehouse.Control.Tests/Store runs one suite on both):
/// <see cref="SqliteResourceStore"/>, one file for one instance, and <see cref="PostgresResourceStore"/>, one database
/// shared by several instances. Every <see cref="Commit"/> makes a new revision; instances follow the revisions through
/// <see cref="WatchAsync"/>. Safe to share across threads.
/// </summary>
internal interface IResourceStore : IDisposable
{
    ResourceGroup? GetResourceGroup(string subscriptionId, string name);

    IReadOnlyList<ResourceGroup> ListResourceGroups(string subscriptionId);

    void PutResourceGroup(ResourceGroup group);

    ProvisionedResource? GetResource(string id);

    /// <summary>The resources of one type, in the order they were first stored.</summary>
    IReadOnlyList<ProvisionedResource> ListResources(string type);

    IReadOnlyList<ProvisionedResource> ListResourcesInGroup(string subscriptionId, string resourceGroup);

    /// <summary>The resources of these types (each type in the order first stored) and the revision they are at, read together.</summary>
    StoredRevision ReadRevision(IReadOnlyList<string> types);

    /// <summary>Applies all of <paramref name="changes"/> or none of them; returns the revision it made.</summary>
    long Commit(ResourceChanges changes);

    /// <summary>
    /// Held while one change is checked, applied and committed, so that changes from every instance sharing the store
    /// happen one after the other, each seeing the one before.
    /// </summary>
    Task<IAsyncDisposable> LockChangesAsync(CancellationToken ct);

    /// <summary>
    /// Calls <paramref name="caughtUp"/> whenever the stored revision may have moved (another instance committed, or the
    /// watch reconnected and may have missed some), until <paramref name="ct"/> is cancelled. The callee compares revisions.
    /// </summary>
    Task WatchAsync(Func<CancellationToken, Task> caughtUp, CancellationToken ct);

    void SaveDeployment(Deployment deployment);

    Deployment? GetDeployment(string subscriptionId, string resourceGroup, string name);

    IReadOnlyList<Deployment> ListDeployments(string subscriptionId, string resourceGroup);

    bool DeleteDeployment(string subscriptionId, string resourceGroup, string name);

    /// <summary>Deployments queued or running on an instance that is gone: nothing of theirs was committed, so they failed.</summary>
    IReadOnlyList<Deployment> ListOrphanedDeployments();

    /// <summary>This instance's heartbeat: it is alive and serves <see cref="InstanceReport.Revision"/>.</summary>
    void Report(InstanceReport report);

    IReadOnlyList<InstanceReport> ListInstances();

    /// <summary>Application registrations of the local Entra-compatible issuer.</summary>
    void PutApplication(Application application);

    Application? GetApplication(string appId);
}

/// <summary>The served resources (gateways, WAF policies) as of one committed revision.</summary>
internal sealed record StoredRevision(long Number, IReadOnlyList<ProvisionedResource> Resources);

/// <summary>One running <c>serve</c> as it last reported itself.</summary>
/// <param name="BackendHealth">What its own probes found: the backendhealth body of each gateway it probes, by gateway id.</param>
internal sealed record InstanceReport(string Id, string ManagementUrl, long Revision, DateTimeOffset Started, DateTimeOffset LastReport,
    JsonObject? BackendHealth = null)
{
    /// <summary>How often an instance reports; three missed reports and it counts as gone.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan Lifetime = 3 * Interval;

    public bool IsAliveAt(DateTimeOffset now) => now - LastReport < Lifetime;
}
