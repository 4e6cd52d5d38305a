namespace Gatehouse.Control;

/// <summary>The parts of a resource-group-scoped resource id: <c>/subscriptions/S/resourceGroups/RG/providers/NS/type/name[/type/name]...</c>.</summary>
internal sealed record ResourceIdentifier(string SubscriptionId, string ResourceGroup, string Type, string Name)
{
    public static string ResourceGroupId(string subscriptionId, string resourceGroup) =>
        $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}";

    public static string ResourceId(string subscriptionId, string resourceGroup, string providerPath) =>
        $"{ResourceGroupId(subscriptionId, resourceGroup)}/providers/{providerPath}";

    public static string DeploymentId(string subscriptionId, string resourceGroup, string deploymentName) =>
        ResourceId(subscriptionId, resourceGroup, $"Microsoft.Resources/deployments/{deploymentName}");

    /// <summary>Null when the id is not of that shape (type segments and name segments must pair up).</summary>
    public static ResourceIdentifier? Parse(string id)
    {
        var segments = id.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 8 || segments.Length % 2 != 0
            || !segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase)
            || !segments[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase)
            || !segments[4].Equals("providers", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var types = new List<string> { segments[5] };
        var names = new List<string>();
        for (var i = 6; i < segments.Length; i += 2)
        {
            types.Add(segments[i]);
            names.Add(segments[i + 1]);
        }
        return new ResourceIdentifier(segments[1], segments[3], string.Join('/', types), string.Join('/', names));
    }
}
