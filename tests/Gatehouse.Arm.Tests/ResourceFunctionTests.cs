using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

public sealed class ResourceFunctionTests
{
    private static readonly string Subscription = Scope.SubscriptionId;

    [Theory]
    [InlineData("[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]", "/subscriptions/{sub}/resourceGroups/rg-gatehouse/providers/Microsoft.Network/virtualNetworks/vnet")]
    [InlineData("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'sub')]", "/subscriptions/{sub}/resourceGroups/rg-gatehouse/providers/Microsoft.Network/virtualNetworks/vnet/subnets/sub")]
    [InlineData("[resourceId('Microsoft.Network/virtualNetworks/', 'vnet')]", "/subscriptions/{sub}/resourceGroups/rg-gatehouse/providers/Microsoft.Network/virtualNetworks/vnet")]
    [InlineData("[resourceId('other-rg', 'Microsoft.Network/publicIPAddresses', 'pip')]", "/subscriptions/{sub}/resourceGroups/other-rg/providers/Microsoft.Network/publicIPAddresses/pip")]
    [InlineData("[resourceId('s2', 'other-rg', 'Microsoft.Network/publicIPAddresses', 'pip')]", "/subscriptions/s2/resourceGroups/other-rg/providers/Microsoft.Network/publicIPAddresses/pip")]
    [InlineData("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'r1')]", "/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/r1")]
    [InlineData("[subscriptionResourceId('s2', 'Microsoft.Authorization/roleDefinitions', 'r1')]", "/subscriptions/s2/providers/Microsoft.Authorization/roleDefinitions/r1")]
    [InlineData("[tenantResourceId('Microsoft.Management/managementGroups', 'mg')]", "/providers/Microsoft.Management/managementGroups/mg")]
    public void Builds_fully_qualified_ids(string expression, string expected)
    {
        Assert.Equal(expected.Replace("{sub}", Subscription), EvaluateText(expression));
    }

    [Fact]
    public void Name_count_must_match_the_type_segments()
    {
        Assert.Contains("needs 2 resource name(s) but 1 were provided", EvaluationError("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]").Message);
    }

    [Fact]
    public void Resource_group_describes_the_deployment_scope()
    {
        var group = Evaluate("[resourceGroup()]")!;

        Assert.Equal($"/subscriptions/{Subscription}/resourceGroups/rg-gatehouse", group["id"]!.GetValue<string>());
        Assert.Equal(("rg-gatehouse", "westeurope", "Microsoft.Resources/resourceGroups", "Succeeded"),
            (group["name"]!.GetValue<string>(), group["location"]!.GetValue<string>(), group["type"]!.GetValue<string>(),
             group["properties"]!["provisioningState"]!.GetValue<string>()));
    }

    [Fact]
    public void Subscription_and_deployment_describe_the_scope()
    {
        Assert.Equal(Subscription, EvaluateText("[subscription().subscriptionId]"));
        Assert.Equal("tenant-1", EvaluateText("[subscription().tenantId]"));
        Assert.Equal("deploy-1", EvaluateText("[deployment().name]"));
    }
}
