using System.Net;
using System.Text.Json.Nodes;
using Gatehouse.Arm;

namespace Gatehouse.Control.Tests;

public sealed class ResourceTests
{
    private static readonly ReferenceDeployment Reference = ReferenceDeployment.Create();

    [Fact]
    public async Task Resource_put_get_and_delete_by_id()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        var pip = $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/publicIPAddresses/pip1?api-version=2024-07-01";

        var created = await server.SendAsync(HttpMethod.Put, pip, new JsonObject { ["location"] = "local", ["properties"] = new JsonObject { ["publicIPAllocationMethod"] = "Static" } });
        Assert.True(created.Status == HttpStatusCode.Created, created.Text);
        var shown = await server.SendAsync(HttpMethod.Get, pip.Replace("/resourceGroups/", "//resourcegroups/", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, shown.Status);
        Assert.Equal("Static", shown.Json!["properties"]!["publicIPAllocationMethod"]!.GetValue<string>());
        Assert.Equal(2, server.Runtime.Applied.Count); // on start, then after the PUT

        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Delete, pip)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Delete, pip)).Status);
        var missing = await server.SendAsync(HttpMethod.Get, pip);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("ResourceNotFound", missing.ErrorCode);
        Assert.Contains("Microsoft.Network/publicIPAddresses/pip1", missing.Json!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Gateway_put_that_the_runtime_rejects_is_not_stored()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        Assert.Equal("Succeeded", (await server.DeployAsync("rg1", "d", Reference.Body()))["status"]!.GetValue<string>());
        var gatewayUrl = $"{server.GatewayPath("rg1")}?api-version=2025-03-01";
        var before = await server.SendAsync(HttpMethod.Get, gatewayUrl);
        var template = Reference.Template;
        var gateway = template["resources"]![2]!.AsObject();
        gateway["properties"]!["sslCertificates"]![0]!["properties"]!["data"] = Reference.CertData;
        gateway["properties"]!["sslCertificates"]![0]!["properties"]!["password"] = Reference.CertPassword;
        server.Runtime.CheckFailure = new ArmException("ApplicationGatewayInvalid", "The runtime cannot serve it.");

        var rejected = await server.SendAsync(HttpMethod.Put, gatewayUrl, new JsonObject { ["location"] = "local", ["properties"] = Expanded(server, gateway["properties"]!) });

        Assert.Equal(HttpStatusCode.BadRequest, rejected.Status);
        Assert.True(rejected.ErrorCode == "ApplicationGatewayInvalid", rejected.Text);
        Assert.Equal(before.Text, (await server.SendAsync(HttpMethod.Get, gatewayUrl)).Text);
    }

    [Fact]
    public async Task Resource_group_delete_removes_its_resources_and_stops_their_gateways()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        Assert.Equal("Succeeded", (await server.DeployAsync("rg1", "d", Reference.Body()))["status"]!.GetValue<string>());
        Assert.Single(server.Runtime.Serving);

        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Delete, $"{server.Subscription}/resourcegroups/rg1?{RunningServer.ApiVersion}")).Status);

        Assert.Empty(server.Runtime.Serving);
        await server.CreateResourceGroupAsync("rg1");
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, $"{server.DeploymentPath("rg1", "d")}?{RunningServer.ApiVersion}")).Status);
    }

    /// <summary>The template's gateway properties with its expressions replaced by the ids they produce in rg1.</summary>
    private static JsonNode Expanded(RunningServer server, JsonNode properties)
    {
        var gatewayId = $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/applicationGateways/{ReferenceDeployment.GatewayName}";
        var text = properties.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .Replace("[variables('subnetRef')]", $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/mtlsVnet/subnets/appgwsubnet", StringComparison.Ordinal)
            .Replace("[variables('publicIPRef')]", $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/publicIPAddresses/mtlsPip", StringComparison.Ordinal);
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\[concat\((?:variables\('applicationGatewayID'\)|resourceId\([^)]*\)), '([^']*)'\)\]", m => gatewayId + m.Groups[1].Value);
        return JsonNode.Parse(text)!;
    }
}
