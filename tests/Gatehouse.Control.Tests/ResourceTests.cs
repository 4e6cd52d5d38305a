using System.Net;
using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Errors;

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
        server.Runtime.PrepareFailure = new ArmException("ApplicationGatewayInvalid", "The runtime cannot serve it.");

        var rejected = await server.SendAsync(HttpMethod.Put, gatewayUrl, new JsonObject { ["location"] = "local", ["properties"] = Expanded(server, gateway["properties"]!) });

        Assert.Equal(HttpStatusCode.BadRequest, rejected.Status);
        Assert.True(rejected.ErrorCode == "ApplicationGatewayInvalid", rejected.Text);
        Assert.Equal(before.Text, (await server.SendAsync(HttpMethod.Get, gatewayUrl)).Text);
    }

    [Fact]
    public async Task Gateway_put_is_a_long_running_operation_that_az_polls_to_Succeeded()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        Assert.Equal("Succeeded", (await server.DeployAsync("rg1", "d", Reference.Body()))["status"]!.GetValue<string>());
        var gatewayUrl = $"{server.GatewayPath("rg1")}?api-version=2025-03-01";
        var gateway = Reference.Template["resources"]![2]!.AsObject();
        gateway["properties"]!["sslCertificates"]![0]!["properties"]!["data"] = Reference.CertData;
        gateway["properties"]!["sslCertificates"]![0]!["properties"]!["password"] = Reference.CertPassword;
        gateway["properties"]!["frontendPorts"]![0]!["properties"]!["Port"] = 445;

        var put = await server.SendAsync(HttpMethod.Put, gatewayUrl, new JsonObject { ["location"] = "local", ["properties"] = Expanded(server, gateway["properties"]!) });

        Assert.True(put.Status == HttpStatusCode.OK, put.Text);
        Assert.Equal("Updating", put.Json!["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(1), put.Headers.RetryAfter?.Delta);
        var operation = new Uri(put.Headers.GetValues("Azure-AsyncOperation").Single());
        Assert.Contains("/providers/Microsoft.Network/locations/local/operations/", operation.AbsolutePath);
        string status;
        var polls = 0;
        do
        {
            await Task.Delay(polls++ == 0 ? 0 : 50);
            status = (await server.SendAsync(HttpMethod.Get, operation.PathAndQuery)).Json!["status"]!.GetValue<string>();
        }
        while (status == "InProgress" && polls < 200);
        Assert.Equal("Succeeded", status);
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Get, put.Headers.Location!.PathAndQuery)).Status);
        var shown = (await server.SendAsync(HttpMethod.Get, gatewayUrl)).Json!;
        Assert.Equal("Succeeded", shown["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal(445, shown["properties"]!["frontendPorts"]![0]!["properties"]!["port"]!.GetValue<int>());
        Assert.DoesNotContain(Reference.CertPassword, put.Text);
    }

    [Fact]
    public async Task Resource_group_delete_removes_its_resources_and_stops_their_gateways()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        Assert.Equal("Succeeded", (await server.DeployAsync("rg1", "d", Reference.Body()))["status"]!.GetValue<string>());
        Assert.Single(server.Runtime.Serving);

        var deleted = await server.FollowLocationAsync(await server.SendAsync(HttpMethod.Delete, $"{server.Subscription}/resourcegroups/rg1?{RunningServer.ApiVersion}"));

        Assert.Equal("", deleted.Text);
        Assert.Empty(server.Runtime.Serving);
        await server.CreateResourceGroupAsync("rg1");
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, $"{server.DeploymentPath("rg1", "d")}?{RunningServer.ApiVersion}")).Status);
    }

    [Fact]
    public async Task Patch_replaces_tags_only_and_lists_show_the_group_resources()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        var pip = $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/publicIPAddresses/pip1?api-version=2024-07-01";
        await server.SendAsync(HttpMethod.Put, pip, new JsonObject { ["location"] = "local", ["tags"] = new JsonObject { ["old"] = "1" }, ["properties"] = new JsonObject { ["publicIPAllocationMethod"] = "Static" } });

        var patched = await server.SendAsync(HttpMethod.Patch, pip, new JsonObject { ["tags"] = new JsonObject { ["team"] = "edge" } });
        Assert.True(patched.Status == HttpStatusCode.OK, patched.Text);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["team"] = "edge" }, (await server.SendAsync(HttpMethod.Get, pip)).Json!["tags"]));
        Assert.Equal("Static", patched.Json!["properties"]!["publicIPAllocationMethod"]!.GetValue<string>());

        var refused = await server.SendAsync(HttpMethod.Patch, pip, new JsonObject { ["properties"] = new JsonObject { ["publicIPAllocationMethod"] = "Dynamic" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("only 'tags'", refused.Json!["error"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Patch, pip.Replace("pip1", "pip2", StringComparison.Ordinal), new JsonObject { ["tags"] = new JsonObject() })).Status);

        var resources = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourceGroups/rg1/resources?{RunningServer.ApiVersion}");
        var listed = Assert.Single(resources.Json!["value"]!.AsArray())!;
        Assert.Equal("Microsoft.Network/publicIPAddresses", listed["type"]!.GetValue<string>());
        Assert.Equal("edge", listed["tags"]!["team"]!.GetValue<string>());
        var ofType = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/publicIPAddresses?api-version=2024-07-01");
        Assert.Equal("pip1", Assert.Single(ofType.Json!["value"]!.AsArray())!["name"]!.GetValue<string>());
        var noGateways = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/applicationGateways/?api-version=2024-07-01");
        Assert.Empty(noGateways.Json!["value"]!.AsArray());
    }

    [Fact]
    public async Task A_fault_of_ours_answers_ARM_internal_error_with_a_tracking_id_the_log_explains()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        var pip = $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/publicIPAddresses/pip1?api-version=2024-07-01";
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Put, pip, new JsonObject { ["location"] = "local" })).Status);
        // A stored body that no longer decrypts: the store is damaged, the request is not to blame.
        await using (var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "gatehouse.db")};Pooling=False"))
        {
            await database.OpenAsync();
            await using var damage = database.CreateCommand();
            damage.CommandText = "UPDATE resources SET body = randomblob(80)";
            Assert.Equal(1, await damage.ExecuteNonQueryAsync());
        }

        var shown = await server.SendAsync(HttpMethod.Get, pip);

        Assert.Equal(HttpStatusCode.InternalServerError, shown.Status);
        Assert.Equal("InternalServerError", shown.ErrorCode);
        var trackingId = System.Text.RegularExpressions.Regex.Match(shown.Json!["error"]!["message"]!.GetValue<string>(), "tracking id '([0-9a-f-]{36})'").Groups[1].Value;
        Assert.NotEmpty(trackingId);
        Assert.Contains(server.Logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains(trackingId, StringComparison.Ordinal) && line.Contains("Exception", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourceGroups/rg1?{RunningServer.ApiVersion}")).Status);
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
