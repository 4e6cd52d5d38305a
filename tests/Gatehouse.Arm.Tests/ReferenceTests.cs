using System.Text.Json.Nodes;
using Gatehouse.Errors;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

/// <summary>reference() to resources of the deployment and through the resolver; list* functions.</summary>
public sealed class ReferenceTests
{
    private const string TwoResources = """
        { "resources": [
            { "type": "Microsoft.Network/applicationGateways", "name": "gw", "apiVersion": "2024-01-01",
              "properties": { "pip": "[reference('pip').dnsSettings.domainNameLabel]", "state": "[reference(resourceId('Microsoft.Network/publicIPAddresses', 'pip'), '2024-01-01').provisioningState]" } },
            { "type": "Microsoft.Network/publicIPAddresses", "name": "pip", "apiVersion": "2024-01-01", "location": "westeurope",
              "properties": { "dnsSettings": { "domainNameLabel": "[toLower('GW')]" } } } ],
          "outputs": { "full": { "type": "object", "value": "[reference('pip', '2024-01-01', 'Full')]" } } }
        """;

    [Fact]
    public void Reference_reads_a_later_resource_of_the_deployment_and_implies_a_dependency()
    {
        var expanded = Expand(TwoResources);

        Assert.Equal(["pip", "gw"], expanded.Resources.Select(r => r.Name));
        var gateway = expanded.Resources[1];
        Assert.Equal("gw", gateway.Body["properties"]!["pip"]!.GetValue<string>());
        Assert.Equal("Succeeded", gateway.Body["properties"]!["state"]!.GetValue<string>());
        Assert.Equal([expanded.Resources[0].Id], gateway.DependsOn);
    }

    [Fact]
    public void Full_reference_has_id_name_type_location_and_properties()
    {
        var full = Expand(TwoResources).Outputs["full"]!["value"]!;

        Assert.Equal($"{ResourceGroupId}/providers/Microsoft.Network/publicIPAddresses/pip", full["id"]!.GetValue<string>());
        Assert.Equal("westeurope", full["location"]!.GetValue<string>());
        Assert.Equal("Microsoft.Network/publicIPAddresses", full["type"]!.GetValue<string>());
        Assert.Equal("gw", full["properties"]!["dnsSettings"]!["domainNameLabel"]!.GetValue<string>());
    }

    [Fact]
    public void Resolver_adds_runtime_properties_and_answers_for_resources_outside_the_deployment()
    {
        const string template = """
            { "resources": [ { "type": "Microsoft.Network/publicIPAddresses", "name": "pip", "apiVersion": "1", "properties": { "a": 1 } } ],
              "outputs": {
                "guid": { "type": "string", "value": "[reference('pip').resourceGuid]" },
                "kept": { "type": "int", "value": "[reference('pip').a]" },
                "vnet": { "type": "string", "value": "[reference('/subscriptions/s/resourceGroups/other/providers/Microsoft.Network/virtualNetworks/v').addressSpace]" } } }
            """;
        var options = new ExpansionOptions
        {
            ResolveResource = id => id.EndsWith("/pip", StringComparison.Ordinal) ? new JsonObject { ["properties"] = new JsonObject { ["resourceGuid"] = "g-1" } }
                : id.EndsWith("/v", StringComparison.Ordinal) ? new JsonObject { ["properties"] = new JsonObject { ["addressSpace"] = "10.0.0.0/16" } }
                : null,
        };

        var outputs = TemplateExpander.Expand(Parse(template), null, Scope, options).Outputs;

        Assert.Equal("g-1", outputs["guid"]!["value"]!.GetValue<string>());
        Assert.Equal(1, outputs["kept"]!["value"]!.GetValue<long>());
        Assert.Equal("10.0.0.0/16", outputs["vnet"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Outputs_wait_for_the_deployed_state_of_the_resources()
    {
        const string template = """
            { "resources": [ { "type": "Microsoft.Network/publicIPAddresses", "name": "pip", "apiVersion": "1", "properties": { "a": 1 } } ],
              "outputs": { "address": { "type": "string", "value": "[reference('pip').ipAddress]" } } }
            """;
        // Deployed as declared, the public IP has no address: the output fails.
        Assert.Contains("'ipAddress' doesn't exist", Assert.Throws<ArmException>(() => TemplateExpander.Expand(Parse(template), null, Scope)).Message);

        var deployment = TemplateExpander.ExpandResources(Parse(template), null, Scope);
        var outputs = deployment.Run(_ => new JsonObject { ["properties"] = new JsonObject { ["ipAddress"] = "127.0.0.1" } }, _ => null);

        Assert.Equal("127.0.0.1", outputs["address"]!["value"]!.GetValue<string>());
    }

    private const string AddressReader = """
        { "resources": [
            { "type": "Microsoft.Network/publicIPAddresses", "name": "pip", "apiVersion": "1", "properties": { "idleTimeoutInMinutes": 10 } },
            { "type": "A.B/c", "name": "user", "apiVersion": "1",
              "properties": { "timeout": "[reference('pip').idleTimeoutInMinutes]", "address": "[reference(resourceId('Microsoft.Network/publicIPAddresses', 'pip')).ipAddress]",
                              "name": "[parameters('n')]" } } ],
          "parameters": { "n": { "type": "string", "defaultValue": "x" } },
          "outputs": { "timeout": { "type": "int", "value": "[reference('pip').idleTimeoutInMinutes]" } } }
        """;

    [Fact]
    public void A_value_that_reads_a_resource_of_the_deployment_waits_for_that_resource_to_be_deployed()
    {
        var deployment = TemplateExpander.ExpandResources(Parse(AddressReader), null, Scope);

        // Planned: what is known now is evaluated, what reads the public IP keeps its text, as what-if shows it.
        var planned = deployment.Resources.Single(r => r.Name == "user");
        Assert.Equal("x", planned.Body["properties"]!["name"]!.GetValue<string>());
        Assert.Equal("[reference('pip').idleTimeoutInMinutes]", planned.Body["properties"]!["timeout"]!.GetValue<string>());
        Assert.True(deployment.IsDeferred(planned));
        Assert.False(deployment.IsDeferred(deployment.Resources[0]));
        Assert.Equal(["resources[1].properties.address", "resources[1].properties.timeout"], deployment.DeferredPaths.Order());

        var provisioned = new List<ExpandedResource>();
        var outputs = deployment.Run(resource =>
        {
            provisioned.Add(resource);
            return new JsonObject { ["properties"] = new JsonObject { ["idleTimeoutInMinutes"] = 11L, ["ipAddress"] = "127.0.0.7" } };
        }, _ => null);

        // At its turn the reader sees what deploying gave the public IP, the provider's values over the declared ones.
        Assert.Equal(["pip", "user"], provisioned.Select(r => r.Name));
        Assert.Equal("""{"timeout":11,"address":"127.0.0.7","name":"x"}""", provisioned[1].Body["properties"]!.ToJsonString());
        Assert.Equal(11, outputs["timeout"]!["value"]!.GetValue<long>());
        Assert.Empty(deployment.DeferredPaths);
    }

    [Fact]
    public void Every_resource_one_deferred_value_reads_becomes_a_dependency()
    {
        const string template = """
            { "resources": [
                { "type": "A.B/c", "name": "reader", "apiVersion": "1", "properties": { "x": "[concat(reference('one').v, reference('two').v, listKeys('three', '1').k)]" } },
                { "type": "A.B/c", "name": "one", "apiVersion": "1", "properties": { "v": "1" } },
                { "type": "A.B/c", "name": "two", "apiVersion": "1", "properties": { "v": "2" } },
                { "type": "A.B/c", "name": "three", "apiVersion": "1", "properties": { "v": "3" } },
                { "type": "A.B/c", "name": "named", "apiVersion": "1", "properties": { "id": "[resourceId('A.B/c', 'reader')]" } } ] }
            """;

        var planned = TemplateExpander.ExpandResources(Parse(template), null, Scope).Resources;

        Assert.Equal(["one", "two", "three", "reader", "named"], planned.Select(r => r.Name));
        Assert.Equal(3, planned[3].DependsOn.Count);
        // resourceId() alone creates no dependency.
        Assert.Empty(planned[4].DependsOn);
    }

    [Theory]
    [InlineData("[reference('g1').endpoint]")]
    [InlineData("[reference('g1', '1', 'Full').properties.endpoint]")]
    public void A_property_the_deployed_state_lacks_fails_naming_the_resource_type(string output)
    {
        var template = $$"""
            { "resources": [ { "type": "Contoso.Widgets/gadgets", "name": "g1", "apiVersion": "1", "properties": { "size": 1 } } ],
              "outputs": { "endpoint": { "type": "string", "value": "{{output}}" } } }
            """;
        var deployment = TemplateExpander.ExpandResources(Parse(template), null, Scope);

        var message = Assert.Throws<ArmException>(() => deployment.Run(_ => new JsonObject { ["properties"] = new JsonObject { ["size"] = 1 } }, _ => null)).Message;

        Assert.Contains("'endpoint' doesn't exist, available properties are 'size, provisioningState'", message);
        Assert.Contains("resource of type 'Contoso.Widgets/gadgets'", message);
    }

    [Fact]
    public void A_failed_resource_stops_what_depends_on_it_and_every_other_failure_is_reported_too()
    {
        const string template = """
            { "resources": [
                { "type": "A.B/c", "name": "bad1", "apiVersion": "1" },
                { "type": "A.B/c", "name": "after", "apiVersion": "1", "properties": { "v": "[reference('bad1').v]" } },
                { "type": "A.B/c", "name": "bad2", "apiVersion": "1" },
                { "type": "A.B/c", "name": "good", "apiVersion": "1" } ] }
            """;
        var tried = new List<string>();

        var error = Assert.Throws<ArmException>(() => TemplateExpander.ExpandResources(Parse(template), null, Scope).Run(resource =>
        {
            tried.Add(resource.Name);
            return resource.Name.StartsWith("bad", StringComparison.Ordinal) ? throw new ArmException("Refused", resource.Name) : new JsonObject();
        }, _ => null)).Error;

        Assert.Equal(["bad1", "bad2", "good"], tried);
        Assert.Equal(["bad1", "bad2"], error.Details!.Select(d => d.Message));
    }

    [Fact]
    public void A_module_whose_parameters_read_deployed_state_runs_as_its_own_deployment_at_its_turn()
    {
        const string template = """
            { "resources": [
                { "type": "Microsoft.Resources/deployments", "name": "network", "apiVersion": "2022-09-01",
                  "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
                    "template": {
                      "resources": [ { "type": "Microsoft.Network/virtualNetworks", "name": "vnet", "apiVersion": "1", "properties": { } } ],
                      "outputs": { "subnetId": { "type": "string", "value": "[reference('vnet').subnets[0].id]" } } } } },
                { "type": "Microsoft.Network/publicIPAddresses", "name": "pip", "apiVersion": "1" },
                { "type": "Microsoft.Resources/deployments", "name": "gateway", "apiVersion": "2022-09-01",
                  "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
                    "parameters": { "subnetId": { "value": "[reference('network').outputs.subnetId.value]" }, "address": { "value": "[reference('pip').ipAddress]" } },
                    "template": {
                      "parameters": { "subnetId": { "type": "string" }, "address": { "type": "string" } },
                      "resources": [ { "type": "Microsoft.Network/applicationGateways", "name": "[concat('gw-', parameters('address'))]", "apiVersion": "1",
                                       "properties": { "subnet": "[parameters('subnetId')]" } } ],
                      "outputs": { "gateway": { "type": "string", "value": "[reference(concat('gw-', parameters('address'))).subnet]" } } } } } ],
              "outputs": { "gateway": { "type": "string", "value": "[reference('gateway').outputs.gateway.value]" } } }
            """;
        var deployment = TemplateExpander.ExpandResources(Parse(template), null, Scope);
        // The gateway module cannot be planned before the network and the public IP are deployed: it is one step of the plan.
        Assert.Equal(["vnet", "pip", "gateway"], deployment.Resources.Select(r => r.Name));

        var provisioned = new List<ExpandedResource>();
        var outputs = deployment.Run(resource =>
        {
            provisioned.Add(resource);
            var properties = resource.Type.EndsWith("virtualNetworks", StringComparison.Ordinal)
                ? new JsonObject { ["subnets"] = new JsonArray(new JsonObject { ["id"] = "subnet-1" }) }
                : resource.Type.EndsWith("publicIPAddresses", StringComparison.Ordinal) ? new JsonObject { ["ipAddress"] = "127.0.0.9" }
                : resource.Body["properties"]!.DeepClone().AsObject();
            return new JsonObject { ["properties"] = properties };
        }, _ => null);

        Assert.Equal(["vnet", "pip", "gw-127.0.0.9"], provisioned.Select(r => r.Name));
        Assert.Equal("subnet-1", provisioned[2].Body["properties"]!["subnet"]!.GetValue<string>());
        Assert.Equal($"{ResourceGroupId}/providers/Microsoft.Network/applicationGateways/gw-127.0.0.9", provisioned[2].Id);
        Assert.Equal("subnet-1", outputs["gateway"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Reference_to_an_unknown_resource_says_so()
    {
        Assert.Contains("not part of this deployment", Assert.Throws<ArmException>(() => EvaluateAsOutput("[reference('/subscriptions/s/resourceGroups/r/providers/A.B/c/d')]")).Message);
        Assert.Contains("not defined in the template", Assert.Throws<ArmException>(() => EvaluateAsOutput("[reference('nothing')]")).Message);
    }

    [Fact]
    public void Resources_that_need_each_other_through_reference_are_a_cycle()
    {
        const string template = """
            { "resources": [
                { "type": "A.B/c", "name": "one", "apiVersion": "1", "properties": { "x": "[reference('two').x]" } },
                { "type": "A.B/c", "name": "two", "apiVersion": "1", "properties": { "x": "[reference('one').x]" } } ] }
            """;

        Assert.Contains("Circular dependency", Assert.Throws<ArmException>(() => Expand(template)).Message);
    }

    private const string StorageAndReader = """
        { "resources": [
            { "type": "Microsoft.ContainerInstance/containerGroups", "name": "app", "apiVersion": "2021-09-01",
              "properties": { "key": "[listKeys(variables('account'), '2017-10-01').keys[0].value]",
                              "sas": "[listAccountSas(resourceId('Microsoft.Storage/storageAccounts', 'store1'), '2021-04-01', createObject('signedExpiry', '2030-01-01')).accountSasToken]" } },
            { "type": "Microsoft.Storage/storageAccounts", "name": "store1", "apiVersion": "2021-04-01", "location": "westeurope" } ],
          "variables": { "account": "store1" } }
        """;

    [Fact]
    public void List_functions_ask_the_resolver_for_a_resource_of_the_deployment_which_they_depend_on()
    {
        var calls = new List<ListCall>();
        var options = new ExpansionOptions
        {
            ListResource = call =>
            {
                calls.Add(call);
                return call.Function.Equals("listKeys", StringComparison.Ordinal)
                    ? new JsonObject { ["keys"] = new JsonArray(new JsonObject { ["value"] = "key-of-" + call.ResourceId.Split('/')[^1] }) }
                    : new JsonObject { ["accountSasToken"] = "sv=" + call.Body!["signedExpiry"]!.GetValue<string>() };
            },
        };

        var expanded = TemplateExpander.Expand(Parse(StorageAndReader), null, Scope, options);

        Assert.Equal(["store1", "app"], expanded.Resources.Select(r => r.Name));
        var properties = expanded.Resources[1].Body["properties"]!;
        Assert.Equal("key-of-store1", properties["key"]!.GetValue<string>());
        Assert.Equal("sv=2030-01-01", properties["sas"]!.GetValue<string>());
        Assert.Equal([expanded.Resources[0].Id], expanded.Resources[1].DependsOn);
        var storageId = $"{ResourceGroupId}/providers/Microsoft.Storage/storageAccounts/store1";
        Assert.Equal(new ListCall(storageId, "Microsoft.Storage/storageAccounts", "2017-10-01", "listKeys", null), calls[0]);
        Assert.Equal(("listAccountSas", "2021-04-01"), (calls[1].Function, calls[1].ApiVersion));
    }

    [Fact]
    public void List_function_without_an_answer_names_the_function_and_the_resource_type()
    {
        var withoutResolver = Assert.Throws<ArmException>(() => Expand(StorageAndReader)).Error;
        var unknownToResolver = Assert.Throws<ArmException>(() =>
            TemplateExpander.Expand(Parse(StorageAndReader), null, Scope, new ExpansionOptions { ListResource = _ => null })).Error;

        foreach (var error in new[] { withoutResolver, unknownToResolver })
        {
            Assert.Equal("InvalidTemplate", error.Code);
            Assert.Contains("'listKeys'", error.Message);
            Assert.Contains("'Microsoft.Storage/storageAccounts'", error.Message);
            Assert.Equal("resources[0].properties.key", error.Target);
        }
    }

    [Fact]
    public void List_function_on_a_resource_outside_the_deployment_needs_the_resource_to_be_known()
    {
        const string id = "/subscriptions/s/resourceGroups/other/providers/Microsoft.Cache/Redis/cache1";
        var template = $$"""{ "outputs": { "key": { "type": "string", "value": "[listKeys('{{id}}', '2016-04-01').primaryKey]" } } }""";
        var answering = new ExpansionOptions { ListResource = call => new JsonObject { ["primaryKey"] = call.ResourceType } };

        var unknown = Assert.Throws<ArmException>(() => TemplateExpander.Expand(Parse(template), null, Scope, answering));
        var known = TemplateExpander.Expand(Parse(template), null, Scope, answering with { ResolveResource = _ => new JsonObject { ["properties"] = new JsonObject() } });

        Assert.Contains("not part of this deployment", unknown.Message);
        Assert.Equal("Microsoft.Cache/Redis", known.Outputs["key"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void A_resolver_adds_provider_values_inside_declared_sub_resources_without_replacing_declared_ones()
    {
        const string template = """
            { "resources": [
                { "type": "Microsoft.Network/networkInterfaces", "name": "nic", "apiVersion": "1",
                  "properties": { "ipConfigurations": [ { "name": "ip", "properties": { "privateIPAllocationMethod": "Dynamic" } } ] } },
                { "type": "Microsoft.Network/applicationGateways", "name": "gw", "apiVersion": "1", "properties": { "ip": "[reference('nic').ipConfigurations[0]]" } } ] }
            """;
        var provider = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["ipConfigurations"] = new JsonArray(new JsonObject { ["name"] = "other", ["properties"] = new JsonObject { ["privateIPAddress"] = "10.0.0.4" } }),
            },
        };

        var ip = TemplateExpander.Expand(Parse(template), null, Scope, new ExpansionOptions { ResolveResource = _ => provider }).Resources[1].Body["properties"]!["ip"]!;

        Assert.Equal("""{"name":"ip","properties":{"privateIPAllocationMethod":"Dynamic","privateIPAddress":"10.0.0.4"}}""", ip.ToJsonString());
    }
}
