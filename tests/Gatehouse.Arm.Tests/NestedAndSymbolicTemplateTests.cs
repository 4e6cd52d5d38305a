using System.Text.Json.Nodes;
using Gatehouse.Errors;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

/// <summary>Inline nested deployments (inner and outer scope) and languageVersion 2.0 templates.</summary>
public sealed class NestedAndSymbolicTemplateTests
{
    private const string Nested = """
        { "parameters": { "prefix": { "type": "string", "defaultValue": "outer" } },
          "variables": { "v": "outer-variable" },
          "resources": [
            { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner",
              "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
                "parameters": { "prefix": { "value": "[concat(parameters('prefix'), '-given')]" } },
                "template": {
                  "parameters": { "prefix": { "type": "string" } }, "variables": { "v": "inner-variable" },
                  "resources": [ { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "1", "name": "[parameters('prefix')]", "properties": { "v": "[variables('v')]" } } ],
                  "outputs": { "name": { "type": "string", "value": "[parameters('prefix')]" } } } } },
            { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "outer",
              "properties": { "mode": "Incremental",
                "template": { "resources": [ { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "1", "name": "[parameters('prefix')]", "properties": { "v": "[variables('v')]" } } ] } } },
            { "type": "Microsoft.Network/applicationGateways", "apiVersion": "1", "name": "gw", "dependsOn": [ "inner" ],
              "properties": { "pip": "[reference('inner').outputs.name.value]" } } ] }
        """;

    [Fact]
    public void Inner_scope_has_its_own_parameters_and_variables_and_outer_scope_sees_the_parent()
    {
        var resources = Expand(Nested).Resources;

        Assert.Equal(["outer-given", "outer", "gw"], resources.Select(r => r.Name));
        Assert.Equal("inner-variable", resources[0].Body["properties"]!["v"]!.GetValue<string>());
        Assert.Equal("outer-variable", resources[1].Body["properties"]!["v"]!.GetValue<string>());
    }

    [Fact]
    public void Depending_on_a_nested_deployment_means_depending_on_its_resources_and_reference_gives_its_outputs()
    {
        var gateway = Expand(Nested).Resources[2];

        Assert.Equal([$"{ResourceGroupId}/providers/Microsoft.Network/publicIPAddresses/outer-given"], gateway.DependsOn);
        Assert.Equal("outer-given", gateway.Body["properties"]!["pip"]!.GetValue<string>());
    }

    [Fact]
    public void Symbolic_names_existing_resources_and_nullable_parameters()
    {
        const string template = """
            { "languageVersion": "2.0",
              "definitions": { "tagsType": { "type": "object" } },
              "parameters": { "tags": { "$ref": "#/definitions/tagsType", "nullable": true }, "name": { "type": "string", "defaultValue": "gw" } },
              "resources": {
                "vnet": { "existing": true, "type": "Microsoft.Network/virtualNetworks", "apiVersion": "1", "name": "shared" },
                "gateway": { "type": "Microsoft.Network/applicationGateways", "apiVersion": "1", "name": "[parameters('name')]", "dependsOn": [ "pips" ],
                  "tags": "[parameters('tags')]", "properties": { "vnet": "[reference('vnet').addressSpace]" } },
                "pips": { "copy": { "name": "pips", "count": 2 }, "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "1", "name": "[format('pip{0}', copyIndex())]" },
                "lock": { "type": "Microsoft.Authorization/locks", "apiVersion": "1", "scope": "gateway", "name": "lock", "dependsOn": [ "gateway" ] } },
              "outputs": { "second": { "type": "string", "value": "[reference('pips[1]', '1', 'full').name]" } } }
            """;
        var options = new ExpansionOptions { ResolveResource = id => id.EndsWith("/shared", StringComparison.Ordinal) ? new JsonObject { ["properties"] = new JsonObject { ["addressSpace"] = "10.0.0.0/8" } } : null };

        var expanded = TemplateExpander.Expand(Parse(template), null, Scope, options);

        Assert.Equal(["pip0", "pip1", "gw", "lock"], expanded.Resources.Select(r => r.Name));
        Assert.Equal("10.0.0.0/8", expanded.Resources[2].Body["properties"]!["vnet"]!.GetValue<string>());
        Assert.Null(expanded.Resources[2].Body["tags"]);
        Assert.Equal($"{ResourceGroupId}/providers/Microsoft.Network/applicationGateways/gw/providers/Microsoft.Authorization/locks/lock", expanded.Resources[3].Id);
        Assert.Equal("pip1", expanded.Outputs["second"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Key_vault_reference_in_a_parameter_file_takes_the_secret_the_deployment_reads_and_stays_secure()
    {
        const string template = """{ "parameters": { "certPassword": { "type": "string" } }, "outputs": { "length": { "type": "int", "value": "[length(parameters('certPassword'))]" } } }""";
        const string parameters = """{ "certPassword": { "reference": { "keyVault": { "id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/kv" }, "secretName": "pw", "secretVersion": "v1" } } }""";
        var asked = new List<KeyVaultParameterReference>();

        var expanded = TemplateExpander.Expand(TestTemplates.Parse(template), TestTemplates.Parse(parameters), TestTemplates.Scope,
            new ExpansionOptions { ResolveKeyVaultReference = reference => { asked.Add(reference); return "s3cret"; } });
        var unread = Assert.Throws<ArmException>(() => Expand(template, parameters)).Error;

        Assert.Equal([new KeyVaultParameterReference("certPassword", "/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/kv", "pw", "v1")], asked);
        Assert.Equal(6, expanded.Outputs["length"]!["value"]!.GetValue<long>());
        Assert.True(expanded.Parameters.Single().IsSecure);
        Assert.Contains("'certPassword'", unread.Message);
        Assert.Equal("parameters.certPassword", unread.Target);
    }

    /// <summary><c>bicep build-params</c> writes the deploymentParameters schema; its values merge like any parameter file's.</summary>
    [Fact]
    public void Bicepparam_compiled_parameter_file_is_merged()
    {
        const string template = """{ "parameters": { "name": { "type": "string" }, "count": { "type": "int" } } }""";
        const string compiled = """
            { "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0",
              "parameters": { "name": { "value": "gw" }, "count": { "value": 2 } } }
            """;

        var merged = ParameterArguments.Merge(Parse(template), [compiled, "count=3"]);

        Assert.Equal("""{"name":{"value":"gw"},"count":{"value":3}}""", merged.ToJsonString());
    }
}
