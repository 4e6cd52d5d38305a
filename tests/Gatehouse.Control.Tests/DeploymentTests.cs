using System.Net;
using System.Text.Json.Nodes;
using System.Text;
using Gatehouse.Arm;
using Gatehouse.Errors;
using Gatehouse.Network;

namespace Gatehouse.Control.Tests;

public sealed class DeploymentTests
{
    private static readonly ReferenceDeployment Reference = ReferenceDeployment.Create();

    private static async Task<RunningServer> DeployedAsync(string? dataDirectory = null)
    {
        var server = await RunningServer.StartAsync(dataDirectory);
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        var status = await server.DeployAsync("rg1", "deploymentTemplate", Reference.Body());
        Assert.True(status["status"]!.GetValue<string>() == "Succeeded", status.ToJsonString());
        return server;
    }

    [Fact]
    public async Task Backend_health_is_a_POST_answered_202_whose_Location_gives_the_runtime_report()
    {
        await using var server = await DeployedAsync();

        var accepted = await server.SendAsync(HttpMethod.Post, $"{server.GatewayPath("rg1")}/backendhealth?api-version=2025-03-01", (string?)null);
        var report = await server.FollowLocationAsync(accepted);
        var missing = await server.SendAsync(HttpMethod.Post,
            $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/applicationGateways/nope/backendhealth?api-version=2025-03-01", (string?)null);

        var pool = report.Json!["backendAddressPools"]![0]!;
        Assert.EndsWith($"/applicationGateways/{ReferenceDeployment.GatewayName}/backendAddressPools/pool", pool["backendAddressPool"]!["id"]!.GetValue<string>());
        Assert.Equal("Up", pool["backendHttpSettingsCollection"]![0]!["servers"]![0]!["health"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("ResourceNotFound", missing.ErrorCode);
    }

    [Fact]
    public async Task An_on_demand_probe_is_a_POST_answered_202_for_the_gateways_pool_and_400_for_another()
    {
        await using var server = await DeployedAsync();
        var gatewayId = $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/applicationGateways/{ReferenceDeployment.GatewayName}";
        string Body(string pool) => $$"""{ "path": "/", "backendAddressPool": { "id": "{{gatewayId}}/backendAddressPools/{{pool}}" }, "backendHttpSettings": { "id": "{{gatewayId}}/backendHttpSettingsCollection/settings2" } }""";

        var accepted = await server.SendAsync(HttpMethod.Post, $"{server.GatewayPath("rg1")}/getBackendHealthOnDemand?api-version=2025-03-01", Body("pool2"));
        var report = await server.FollowLocationAsync(accepted);
        var refused = await server.SendAsync(HttpMethod.Post, $"{server.GatewayPath("rg1")}/getBackendHealthOnDemand?api-version=2025-03-01", Body("nope"));

        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.EndsWith("/backendAddressPools/pool2", report.Json!["backendAddressPool"]!["id"]!.GetValue<string>());
        Assert.EndsWith("/backendHttpSettingsCollection/settings2", report.Json["backendHealthHttpSettings"]!["backendHttpSettings"]!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("InvalidResourceReference", refused.ErrorCode);
    }

    [Fact]
    public async Task Reference_template_deploys_and_the_gateway_renders_without_secrets()
    {
        await using var server = await DeployedAsync();

        var serving = Assert.Single(server.Runtime.Serving);
        Assert.Equal(ReferenceDeployment.GatewayName, serving.Name);

        var gateway = await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01");
        Assert.Equal(HttpStatusCode.OK, gateway.Status);
        var clientAuth = gateway.Json!["properties"]!["sslProfiles"]![0]!["properties"]!["clientAuthConfiguration"]!;
        Assert.Equal("Passthrough", clientAuth["verifyClientAuthMode"]!.GetValue<string>());
        Assert.Null(gateway.Json["properties"]!["sslCertificates"]![0]!["properties"]!["data"]);
        Assert.Null(gateway.Json["properties"]!["sslCertificates"]![0]!["properties"]!["password"]);
        Assert.DoesNotContain(Reference.CertPassword, gateway.Text);
        Assert.DoesNotContain(Reference.CertData[..64], gateway.Text);

        var deployment = await server.SendAsync(HttpMethod.Get, $"{server.DeploymentPath("rg1", "deploymentTemplate")}?{RunningServer.ApiVersion}");
        var properties = deployment.Json!["properties"]!;
        Assert.Equal("Succeeded", properties["provisioningState"]!.GetValue<string>());
        Assert.Equal(3, properties["outputResources"]!.AsArray().Count);
        Assert.Null(properties["parameters"]!["certPassword"]!["value"]);
        Assert.DoesNotContain(Reference.CertPassword, deployment.Text);
        Assert.StartsWith("PT", properties["duration"]!.GetValue<string>());

        var list = await server.SendAsync(HttpMethod.Get, $"{server.DeploymentPath("rg1", "")}/?{RunningServer.ApiVersion}");
        Assert.Single(list.Json!["value"]!.AsArray());
        foreach (var operations in new[]
        {
            $"{server.DeploymentPath("rg1", "deploymentTemplate")}/operations?{RunningServer.ApiVersion}",
            $"{server.Subscription}/resourcegroups/rg1/deployments/deploymentTemplate/operations?{RunningServer.ApiVersion}",
        })
        {
            var reply = await server.SendAsync(HttpMethod.Get, operations);
            Assert.Equal(3, reply.Json!["value"]!.AsArray().Count);
        }

        var byAzResourceShow = await server.SendAsync(HttpMethod.Get,
            $"{server.Subscription}/resourcegroups/rg1/providers/Microsoft.Network//applicationGateways/MTLSAPPGW?api-version=2022-05-01");
        Assert.Equal(HttpStatusCode.OK, byAzResourceShow.Status);

        AssertNoSecretIn(server.Logs.Lines);
    }

    [Fact]
    public async Task Wrong_certificate_password_fails_the_deployment_and_changes_nothing()
    {
        await using var server = await DeployedAsync();
        var before = await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01");
        var appliedBefore = server.Runtime.Applied.Count;

        var status = await server.DeployAsync("rg1", "second", Reference.Body(certPassword: "wrong-password-" + Reference.CertPassword));

        Assert.Equal("Failed", status["status"]!.GetValue<string>());
        Assert.Equal("DeploymentFailed", status["error"]!["code"]!.GetValue<string>());
        Assert.Equal("ApplicationGatewaySslCertificateInvalidPassword", status["error"]!["details"]![0]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(Reference.CertPassword, status.ToJsonString());
        Assert.Equal(appliedBefore, server.Runtime.Applied.Count);
        var after = await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01");
        Assert.Equal(before.Text, after.Text);

        var failed = await server.SendAsync(HttpMethod.Get, $"{server.DeploymentPath("rg1", "second")}?{RunningServer.ApiVersion}");
        Assert.Equal("Failed", failed.Json!["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Empty(failed.Json["properties"]!["outputResources"]!.AsArray());
        var operations = await server.SendAsync(HttpMethod.Get, $"{server.DeploymentPath("rg1", "second")}/operations?{RunningServer.ApiVersion}");
        Assert.Contains(operations.Json!["value"]!.AsArray(), o => o!["properties"]!["provisioningState"]!.GetValue<string>() == "Failed");
        AssertNoSecretIn(server.Logs.Lines);
    }

    [Fact]
    public async Task Deploy_validate_and_what_if_leave_no_prepared_plan_undisposed()
    {
        await using var server = await DeployedAsync();

        var validate = await server.SendAsync(HttpMethod.Post, $"{server.DeploymentPath("rg1", "v")}/validate?{RunningServer.ApiVersion}", Reference.Body());
        await server.WhatIfAsync("rg1", "w", Reference.Body());
        var redeployed = await server.DeployAsync("rg1", "again", Reference.Body());

        Assert.Equal(HttpStatusCode.OK, validate.Status);
        Assert.Equal("Succeeded", redeployed["status"]!.GetValue<string>());
        Assert.Equal(0, server.Runtime.Undisposed);
    }

    [Fact]
    public async Task A_deployment_with_several_mistakes_fails_once_listing_each_with_its_path()
    {
        await using var server = await DeployedAsync();
        var appliedBefore = server.Runtime.Applied.Count;
        var template = Reference.Template;
        var gateway = template["resources"]![2]!["properties"]!;
        gateway["httpListeners"]![0]!["properties"]!["SslCertificate"]!["Id"] = "[concat(variables('applicationGatewayID'), '/sslCertificates/missingCert')]";
        gateway["requestRoutingRules"]![0]!["properties"]!["backendAddressPool"]!["id"] = "[concat(variables('applicationGatewayID'), '/backendAddressPools/missingPool')]";
        gateway["probes"] = JsonNode.Parse("""
            [ { "name": "probe1", "properties": { "protocol": "Http", "host": "127.0.0.1", "path": "/", "interval": 0, "timeout": 30, "unhealthyThreshold": 3 } } ]
            """);
        string[] expected =
        [
            "ApplicationGatewayPropertyValueOutOfRange properties.probes[0].properties.interval",
            "InvalidResourceReference properties.httpListeners[0].properties.sslCertificate",
            "InvalidResourceReference properties.requestRoutingRules[0].properties.backendAddressPool",
        ];
        static string[] Problems(JsonNode error) => [.. error["details"]!.AsArray().Select(d => $"{d!["code"]} {d["target"]}").Order()];

        var status = await server.DeployAsync("rg1", "several", Reference.Body(template));
        var validate = await server.SendAsync(HttpMethod.Post, $"{server.DeploymentPath("rg1", "v")}/validate?{RunningServer.ApiVersion}", Reference.Body(template));

        Assert.Equal("DeploymentFailed", status["error"]!["code"]!.GetValue<string>());
        Assert.Equal(expected, Problems(status["error"]!));
        Assert.Contains("/sslCertificates/missingCert", status["error"]!.ToJsonString());
        Assert.Equal(appliedBefore, server.Runtime.Applied.Count);
        Assert.Equal("InvalidTemplateDeployment", validate.ErrorCode);
        Assert.Equal(expected, Problems(validate.Json!["error"]!));
    }

    [Fact]
    public async Task Runtime_check_failure_fails_the_deployment_and_changes_nothing()
    {
        await using var server = await DeployedAsync();
        var before = await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01");
        var appliedBefore = server.Runtime.Applied.Count;
        server.Runtime.PrepareFailure = new ArmException("ApplicationGatewayFrontendPortInUse", "Port 445 cannot be served.");
        var template = Reference.Template;
        template["resources"]![2]!["properties"]!["frontendPorts"]![0]!["properties"]!["Port"] = 445;

        var status = await server.DeployAsync("rg1", "deploymentTemplate", Reference.Body(template));

        Assert.Equal("Failed", status["status"]!.GetValue<string>());
        Assert.Equal("ApplicationGatewayFrontendPortInUse", status["error"]!["details"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(appliedBefore, server.Runtime.Applied.Count);
        var after = await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01");
        Assert.Equal(before.Text, after.Text);

        var validate = await server.SendAsync(HttpMethod.Post, $"{server.DeploymentPath("rg1", "v")}/validate?{RunningServer.ApiVersion}", Reference.Body(template));
        Assert.Equal(HttpStatusCode.BadRequest, validate.Status);
        Assert.Equal("InvalidTemplateDeployment", validate.ErrorCode);
    }

    [Fact]
    public async Task Template_errors_are_reported_as_they_are()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        var template = Reference.Template;
        template["resources"]![1]!["name"] = "[parameters('noSuchParameter')]";

        var status = await server.DeployAsync("rg1", "broken", Reference.Body(template));
        var validate = await server.SendAsync(HttpMethod.Post, $"{server.DeploymentPath("rg1", "broken")}/validate?{RunningServer.ApiVersion}", Reference.Body(template));

        Assert.Equal("Failed", status["status"]!.GetValue<string>());
        Assert.Equal("InvalidTemplate", status["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, validate.Status);
        Assert.Equal("InvalidTemplate", validate.ErrorCode);
        Assert.Empty(server.Runtime.Serving);
    }

    [Fact]
    public async Task Bodies_nested_past_64_levels_or_malformed_answer_400_InvalidRequestContent_and_change_nothing()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        var deployment = $"{{\"properties\":{{\"mode\":\"Incremental\",\"template\":{deep}}}}}";

        var replies = new[]
        {
            await server.SendAsync(HttpMethod.Put, $"{server.DeploymentPath("rg1", "deep")}?{RunningServer.ApiVersion}", deployment),
            await server.SendAsync(HttpMethod.Post, $"{server.DeploymentPath("rg1", "deep")}/validate?{RunningServer.ApiVersion}", deployment),
            await server.SendAsync(HttpMethod.Put, $"{server.DeploymentPath("rg1", "cut")}?{RunningServer.ApiVersion}", "{\"properties\":{\"template\":"),
            await server.SendAsync(HttpMethod.Put, $"{server.Subscription}/resourcegroups/rg2?{RunningServer.ApiVersion}", deep),
            await server.SendAsync(HttpMethod.Put, $"{server.GatewayPath("rg1")}?api-version=2025-03-01", deep),
        };

        Assert.All(replies, reply =>
        {
            Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{reply.Status}: {reply.Text}");
            Assert.Equal("InvalidRequestContent", reply.ErrorCode);
            Assert.False(string.IsNullOrEmpty(reply.Json!["error"]!["message"]!.GetValue<string>()));
        });
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, $"{server.DeploymentPath("rg1", "deep")}?{RunningServer.ApiVersion}")).Status);
        Assert.Empty(server.Runtime.Serving);
    }

    [Fact]
    public async Task Az_jsonc_body_with_an_unquoted_template_key_and_comments_is_accepted()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        var body = Reference.AzJsoncBody();

        var validate = await server.SendAsync(HttpMethod.Post, $"{server.DeploymentPath("rg1", "deploymentTemplate")}/validate?{RunningServer.ApiVersion}", body);
        Assert.True(validate.Status == HttpStatusCode.OK, validate.Text);
        Assert.Equal(3, validate.Json!["properties"]!["validatedResources"]!.AsArray().Count);
        Assert.Empty(server.Runtime.Serving);

        var status = await server.DeployAsync("rg1", "deploymentTemplate", body);
        Assert.True(status["status"]!.GetValue<string>() == "Succeeded", status.ToJsonString());
        Assert.Single(server.Runtime.Serving);
    }

    [Fact]
    public async Task Deployments_run_one_at_a_time()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        server.Runtime.ApplyDelay = TimeSpan.FromMilliseconds(200);

        var results = await Task.WhenAll(
            server.DeployAsync("rg1", "first", Reference.Body()),
            server.DeployAsync("rg1", "second", Reference.Body()));

        Assert.All(results, r => Assert.Equal("Succeeded", r["status"]!.GetValue<string>()));
        Assert.Equal(1, server.Runtime.MostConcurrentApplies);
    }

    [Fact]
    public async Task Restart_reapplies_the_stored_gateways_and_keeps_tokens_valid()
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-control-").FullName;
        try
        {
            var first = await DeployedAsync(directory);
            var token = first.Http.DefaultRequestHeaders.Authorization!.Parameter!;
            await first.StopAsync();

            await using var second = await RunningServer.StartAsync(directory);
            var reapplied = Assert.Single(second.Runtime.Applied);
            Assert.Equal(ReferenceDeployment.GatewayName, Assert.Single(reapplied, r => NetworkProvider.IsApplicationGateway(r.Type)).Name);
            second.Http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            var gateway = await second.SendAsync(HttpMethod.Get, $"{second.GatewayPath("rg1")}?api-version=2025-03-01");
            Assert.Equal(HttpStatusCode.OK, gateway.Status);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_database_holds_no_secret_in_plain_text()
    {
        var server = await DeployedAsync();
        await server.StopAsync();
        try
        {
            var bytes = Directory.GetFiles(server.DataDirectory, "gatehouse.db*").SelectMany(File.ReadAllBytes).ToArray();
            Assert.NotEmpty(bytes);
            foreach (var secret in new[] { Reference.CertPassword, Reference.CertData[..64], Reference.CertData[^64..] })
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        }
        finally
        {
            Directory.Delete(server.DataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task What_if_reports_create_then_no_change_then_the_modified_property_without_secrets()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");

        var fresh = await server.WhatIfAsync("rg1", "d", Reference.Body());
        Assert.Equal(["Create"], fresh.Values.Select(c => c["changeType"]!.GetValue<string>()).Distinct());
        Assert.Equal(3, fresh.Count);
        Assert.Equal("Passthrough", fresh[ReferenceDeployment.GatewayName]["after"]!["properties"]!["sslProfiles"]![0]!["properties"]!["clientAuthConfiguration"]!["verifyClientAuthMode"]!.GetValue<string>());
        Assert.DoesNotContain(Reference.CertPassword, string.Concat(fresh.Values.Select(c => c.ToJsonString())));
        Assert.DoesNotContain(Reference.CertData[..64], string.Concat(fresh.Values.Select(c => c.ToJsonString())));
        Assert.Empty(server.Runtime.Serving);

        Assert.Equal("Succeeded", (await server.DeployAsync("rg1", "d", Reference.Body()))["status"]!.GetValue<string>());
        var again = await server.WhatIfAsync("rg1", "d", Reference.Body());
        Assert.Equal(["NoChange"], again.Values.Select(c => c["changeType"]!.GetValue<string>()).Distinct());

        var template = Reference.Template;
        template["resources"]![2]!["properties"]!["frontendPorts"]![0]!["properties"]!["Port"] = 445;
        var modified = await server.WhatIfAsync("rg1", "d", Reference.Body(template));
        var gateway = modified[ReferenceDeployment.GatewayName];
        Assert.Equal("Modify", gateway["changeType"]!.GetValue<string>());
        var delta = Assert.Single(gateway["delta"]!.AsArray())!;
        Assert.Equal("properties.frontendPorts.0.properties.port", delta["path"]!.GetValue<string>());
        Assert.Equal("Modify", delta["propertyChangeType"]!.GetValue<string>());
        Assert.Equal((444, 445), (delta["before"]!.GetValue<int>(), delta["after"]!.GetValue<int>()));
        Assert.Equal("NoChange", modified["mtlsPip"]["changeType"]!.GetValue<string>());
        Assert.Equal(444, (await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01")).Json!["properties"]!["frontendPorts"]![0]!["properties"]!["port"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_gateway_that_reads_its_public_IP_validates_shows_the_reference_in_what_if_and_deploys_with_the_provider_s_address()
    {
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        var template = Reference.Template;
        var gateway = template["resources"]![2]!.AsObject();
        gateway["tags"] = new JsonObject { ["frontendAddress"] = "[reference(variables('publicIPAddressName')).ipAddress]" };
        gateway["properties"]!["frontendIPConfigurations"]![0]!["properties"]!["PublicIPAddress"]!["id"] =
            "[reference(variables('publicIPAddressName'), '2024-07-01', 'Full').id]";

        // Preflight defers what only deploying gives, as Azure's does: a template whose provider computes the address validates.
        var validated = await server.SendAsync(HttpMethod.Post, $"{server.DeploymentPath("rg1", "d")}/validate?{RunningServer.ApiVersion}", Reference.Body(template));
        Assert.True(validated.Status == HttpStatusCode.OK, validated.Text);
        var planned = (await server.WhatIfAsync("rg1", "d", Reference.Body(template)))[ReferenceDeployment.GatewayName];
        Assert.Equal("[reference(variables('publicIPAddressName')).ipAddress]", planned["after"]!["tags"]!["frontendAddress"]!.GetValue<string>());
        Assert.DoesNotContain(Reference.CertPassword, planned.ToJsonString());
        Assert.DoesNotContain(Reference.CertData[..64], planned.ToJsonString());

        Assert.Equal("Succeeded", (await server.DeployAsync("rg1", "d", Reference.Body(template)))["status"]!.GetValue<string>());
        var deployed = (await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01")).Json!;
        var pip = (await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/publicIPAddresses/mtlsPip?api-version=2024-07-01")).Json!;
        Assert.Equal(pip["properties"]!["ipAddress"]!.GetValue<string>(), deployed["tags"]!["frontendAddress"]!.GetValue<string>());
        Assert.Equal(pip["id"]!.GetValue<string>(), deployed["properties"]!["frontendIPConfigurations"]![0]!["properties"]!["publicIPAddress"]!["id"]!.GetValue<string>(), ignoreCase: true);
    }

    [Fact]
    public async Task Complete_mode_deletes_the_group_resources_that_the_template_does_not_name()
    {
        await using var server = await DeployedAsync();
        var extra = $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.Network/publicIPAddresses/extraPip?api-version=2024-07-01";
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Put, extra, new JsonObject { ["location"] = "local" })).Status);

        Assert.Equal("Ignore", (await server.WhatIfAsync("rg1", "d", Reference.Body()))["extraPip"]["changeType"]!.GetValue<string>());
        var complete = Reference.Body();
        complete["properties"]!["mode"] = "complete";
        Assert.Equal("Delete", (await server.WhatIfAsync("rg1", "d", complete.DeepClone().AsObject()))["extraPip"]["changeType"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, extra)).Status);

        Assert.Equal("Succeeded", (await server.DeployAsync("rg1", "d", complete))["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, extra)).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01")).Status);
        Assert.Single(server.Runtime.Serving);
        var deployment = await server.SendAsync(HttpMethod.Get, $"{server.DeploymentPath("rg1", "d")}?{RunningServer.ApiVersion}");
        Assert.Equal("Complete", deployment.Json!["properties"]!["mode"]!.GetValue<string>());
        var unknownMode = Reference.Body();
        unknownMode["properties"]!["mode"] = "Sometimes";
        Assert.Equal("InvalidDeploymentMode", (await server.SendAsync(HttpMethod.Post, $"{server.DeploymentPath("rg1", "d")}/validate?{RunningServer.ApiVersion}", unknownMode)).ErrorCode);
    }

    private static void AssertNoSecretIn(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Assert.DoesNotContain(Reference.CertPassword, line);
            Assert.DoesNotContain(Reference.CertData[..64], line);
        }
    }
}
