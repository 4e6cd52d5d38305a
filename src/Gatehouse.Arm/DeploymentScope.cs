namespace Gatehouse.Arm;

/// <summary>Where a template is deployed: what resourceGroup(), subscription() and deployment() describe.</summary>
public sealed record DeploymentScope(string TenantId, string SubscriptionId, string ResourceGroup, string Location, string DeploymentName);
