using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network;

namespace Gatehouse.Control.Store;

internal sealed record ResourceGroup(string SubscriptionId, string Name, string Location, JsonObject Tags);

/// <summary>A deployment as ARM reports it; <see cref="Parameters"/> never holds a secure parameter's value.</summary>
internal sealed record Deployment(
    string SubscriptionId,
    string ResourceGroup,
    string Name,
    string ProvisioningState,
    string Mode,
    string TemplateHash,
    string CorrelationId,
    string OperationId,
    DateTimeOffset Timestamp,
    DateTimeOffset? EndTime,
    JsonObject? Parameters,
    JsonObject? Outputs,
    ArmError? Error,
    IReadOnlyList<DeploymentOperation> Operations)
{
    public bool IsTerminal => ProvisioningState is DeploymentStates.Succeeded or DeploymentStates.Failed or DeploymentStates.Canceled;

    /// <summary>What the deployment created or updated; a failed deployment committed nothing.</summary>
    public IEnumerable<string> OutputResourceIds => ProvisioningState == DeploymentStates.Succeeded
        ? Operations.Where(o => o.ResourceId is not null).Select(o => o.ResourceId!)
        : [];
}

internal static class DeploymentStates
{
    public const string Accepted = "Accepted";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Canceled = "Canceled";
}

/// <summary>One step of a deployment: a resource it provisioned, or the error that stopped it.</summary>
internal sealed record DeploymentOperation(
    string OperationId,
    string ProvisioningState,
    DateTimeOffset Timestamp,
    string? ResourceId,
    string? ResourceType,
    string? ResourceName,
    ArmError? Error);

/// <summary>Everything that one deployment, resource PUT/DELETE or resource group DELETE changes, committed in one transaction.</summary>
internal sealed record ResourceChanges(
    IReadOnlyList<ProvisionedResource> Upserts,
    IReadOnlyList<string> DeletedResourceIds,
    Deployment? CompletedDeployment = null,
    ResourceGroup? DeletedResourceGroup = null);

/// <summary>
/// An application registered with the local issuer: <see cref="ObjectId"/> is its service principal's, the <c>oid</c> of
/// the tokens it gets. Only a hash of its password is kept (the password is random, so a plain SHA-256 is enough).
/// </summary>
internal sealed record Application(string AppId, string ObjectId, string DisplayName, byte[] SecretHash);
