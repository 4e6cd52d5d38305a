using System.Text.Json.Nodes;

namespace Gatehouse.Tests;

/// <summary><c>gatehouse deployment group create</c> prints the evaluated outputs as az does, read after the resources are provisioned.</summary>
public sealed class DeploymentOutputsTests(CorpusServe serve) : IClassFixture<CorpusServe>
{
    private const string Template = """
        {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": { "label": { "type": "string" }, "secret": { "type": "securestring" } },
          "resources": [
            { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": "pip", "location": "[resourceGroup().location]",
              "sku": { "name": "Standard" },
              "properties": { "publicIPAllocationMethod": "Static", "dnsSettings": { "domainNameLabel": "[parameters('label')]" } } }
          ],
          "outputs": {
            "address": { "type": "string", "value": "[reference('pip').ipAddress]" },
            "fqdn": { "type": "string", "value": "[reference(resourceId('Microsoft.Network/publicIPAddresses', 'pip')).dnsSettings.fqdn]" },
            "guid": { "type": "string", "value": "[reference('pip').resourceGuid]" },
            "count": { "type": "int", "value": 2 },
            "secret": { "type": "securestring", "value": "[parameters('secret')]" }
          }
        }
        """;

    [Fact]
    public Task Create_shows_outputs_that_read_the_provisioned_public_ip_and_leaves_out_secure_ones() => serve.InGroupAsync("rg-outputs", async group =>
    {
        var file = Path.Combine(serve.DataDirectory, "outputs.json");
        await File.WriteAllTextAsync(file, Template);

        var created = await serve.GatehouseAsync("deployment", "group", "create", "-g", group, "--template-file", file,
            "--parameters", "label=gatehouse-outputs", "secret=Do-not-show-1");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.DoesNotContain("Do-not-show-1", created.Stdout);
        var outputs = JsonNode.Parse(created.Stdout)!["properties"]!["outputs"]!;
        Assert.Equal("String", outputs["address"]!["type"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", outputs["address"]!["value"]!.GetValue<string>());
        Assert.Equal("gatehouse-outputs.westeurope.cloudapp.azure.com", outputs["fqdn"]!["value"]!.GetValue<string>());
        Assert.Equal("Int", outputs["count"]!["type"]!.GetValue<string>());
        Assert.Equal(2, outputs["count"]!["value"]!.GetValue<int>());
        var guid = outputs["guid"]!["value"]!.GetValue<string>();
        Assert.True(Guid.TryParse(guid, out _), guid);
        Assert.Equal(new JsonObject { ["type"] = "SecureString" }.ToJsonString(), outputs["secret"]!.ToJsonString());
    });
}
