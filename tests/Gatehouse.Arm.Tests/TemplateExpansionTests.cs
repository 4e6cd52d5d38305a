using Gatehouse.Errors;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

/// <summary>Conditions, copy loops, child resources and outputs.</summary>
public sealed class TemplateExpansionTests
{
    [Fact]
    public void Copy_loop_expands_one_resource_per_index_with_copyIndex_offsets()
    {
        const string template = """
            { "resources": [
                { "type": "Microsoft.Network/publicIPAddresses", "name": "[concat('pip', copyIndex(1))]", "apiVersion": "1",
                  "copy": { "name": "pips", "count": 3 }, "properties": { "index": "[copyIndex('pips')]" } },
                { "type": "Microsoft.Network/applicationGateways", "name": "gw", "apiVersion": "1", "dependsOn": [ "pips" ] } ] }
            """;

        var resources = Expand(template).Resources;

        Assert.Equal(["pip1", "pip2", "pip3", "gw"], resources.Select(r => r.Name));
        Assert.Equal([0L, 1L, 2L], resources.Take(3).Select(r => r.Body["properties"]!["index"]!.GetValue<long>()));
        Assert.Equal(3, resources[3].DependsOn.Count);
    }

    [Fact]
    public void A_property_name_that_is_an_expression_is_evaluated_as_ARM_keys_a_user_assigned_identity()
    {
        const string template = """
            { "resources": [
                { "type": "Microsoft.Network/applicationGateways", "name": "gw", "apiVersion": "1",
                  "identity": { "type": "UserAssigned", "userAssignedIdentities": { "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id1')]": {} } },
                  "properties": { "[[literal]": 1 } } ] }
            """;

        var gateway = Expand(template).Resources.Single();

        var key = Assert.Single(gateway.Body["identity"]!["userAssignedIdentities"]!.AsObject()).Key;
        Assert.EndsWith("/resourceGroups/rg-gatehouse/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1", key);
        Assert.Equal("[literal]", Assert.Single(gateway.Body["properties"]!.AsObject()).Key);
    }

    [Fact]
    public void CopyIndex_outside_a_copy_loop_is_an_error()
    {
        Assert.Contains("copyIndex", Assert.Throws<ArmException>(() => EvaluateAsOutput("[copyIndex()]")).Message);
    }

    [Fact]
    public void Condition_expression_decides_whether_a_resource_is_deployed()
    {
        const string template = """
            { "parameters": { "withIp": { "type": "bool" } },
              "resources": [ { "condition": "[parameters('withIp')]", "type": "Microsoft.Network/publicIPAddresses", "name": "pip", "apiVersion": "1" } ] }
            """;

        Assert.Single(Expand(template, """{ "withIp": { "value": true } }""").Resources);
        Assert.Empty(Expand(template, """{ "withIp": { "value": false } }""").Resources);
    }

    [Fact]
    public void Outputs_are_evaluated_with_their_type()
    {
        const string template = """
            { "variables": { "gw": "mtlsAppGw" },
              "outputs": {
                "gatewayId": { "type": "String", "value": "[resourceId('Microsoft.Network/applicationGateways', variables('gw'))]" },
                "skipped": { "condition": false, "type": "string", "value": "[foo()]" } } }
            """;

        var outputs = Expand(template).Outputs;

        Assert.Equal(["gatewayId"], outputs.Select(o => o.Key));
        Assert.Equal("String", outputs["gatewayId"]!["type"]!.GetValue<string>());
        Assert.Equal($"{ResourceGroupId}/providers/Microsoft.Network/applicationGateways/mtlsAppGw", outputs["gatewayId"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Nested_child_resources_take_type_and_name_relative_to_their_parent_and_follow_it()
    {
        const string template = """
            { "resources": [ { "type": "Microsoft.Compute/virtualMachines", "name": "[concat('vm', copyIndex())]", "apiVersion": "1",
                "copy": { "name": "vms", "count": 2 },
                "resources": [
                  { "type": "extensions", "name": "ext", "apiVersion": "2", "properties": { "vm": "[copyIndex()]" } },
                  { "type": "providers/diagnosticSettings", "name": "Microsoft.Insights/service", "apiVersion": "3" },
                  { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "[concat('vm', copyIndex(), '/full')]", "apiVersion": "4" } ] } ] }
            """;

        var resources = Expand(template).Resources;

        Assert.Equal(8, resources.Count);
        var extension = resources.Single(r => r.Name == "vm1/ext");
        Assert.Equal("Microsoft.Compute/virtualMachines/extensions", extension.Type);
        Assert.Equal($"{ResourceGroupId}/providers/Microsoft.Compute/virtualMachines/vm1/extensions/ext", extension.Id);
        Assert.Equal(1L, extension.Body["properties"]!["vm"]!.GetValue<long>());
        Assert.Equal([$"{ResourceGroupId}/providers/Microsoft.Compute/virtualMachines/vm1"], extension.DependsOn);
        Assert.Contains(resources, r => r.Id == $"{ResourceGroupId}/providers/Microsoft.Compute/virtualMachines/vm0/providers/Microsoft.Insights/diagnosticSettings/service");
        Assert.Contains(resources, r => r.Name == "vm0/full" && r.Type == "Microsoft.Compute/virtualMachines/extensions");
    }

    [Fact]
    public void Resource_name_must_have_one_segment_per_nested_type()
    {
        const string template = """{ "resources": [ { "type": "Microsoft.Network/virtualNetworks/subnets", "name": "sub", "apiVersion": "1" } ] }""";

        Assert.Contains("incorrect segment lengths", Assert.Throws<ArmException>(() => Expand(template)).Message);
    }

    [Fact]
    public void Nested_type_with_a_slash_separated_name_gets_a_nested_id()
    {
        const string template = """{ "resources": [ { "type": "Microsoft.Network/virtualNetworks/subnets", "name": "vnet/sub", "apiVersion": "1" } ] }""";

        Assert.Equal($"{ResourceGroupId}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/sub", Expand(template).Resources[0].Id);
    }

    [Fact]
    public void Expanding_does_not_change_the_template()
    {
        var template = Parse("""{ "variables": { "v": { "a": "[toUpper('x')]" } }, "resources": [ { "type": "A.B/c", "name": "n", "apiVersion": "1", "properties": "[variables('v')]" } ] }""");
        var before = template.ToJsonString();

        var expanded = TemplateExpander.Expand(template, null, Scope);

        Assert.Equal(before, template.ToJsonString());
        Assert.Equal("""{"a":"X"}""", expanded.Resources[0].Body["properties"]!.ToJsonString());
    }
}
