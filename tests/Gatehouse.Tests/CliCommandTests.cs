using System.Text.Json.Nodes;

namespace Gatehouse.Tests;

/// <summary>Our own az-style commands against a real serve: JSON on stdout, ARM errors on stderr with a non-zero exit.</summary>
public sealed class CliCommandTests(DeployedGateway gateway) : IClassFixture<DeployedGateway>
{
    private Task<Completed> GatehouseAsync(params string[] arguments) =>
        GatehouseProcess.RunGatehouseAsync([.. arguments, "--data-dir", gateway.DataDirectory]);

    [Fact]
    public async Task Validate_prints_the_validated_deployment_or_the_arm_error()
    {
        var valid = await gateway.TemplateCommandAsync("validate", gateway.Certificates.PfxPassword);
        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.Equal("Succeeded", JsonNode.Parse(valid.Stdout)!["properties"]!["provisioningState"]!.GetValue<string>());

        var invalid = await gateway.TemplateCommandAsync("validate", "not-the-password");
        Assert.Equal(1, invalid.ExitCode);
        Assert.Equal("", invalid.Stdout);
        var error = JsonNode.Parse(invalid.Stderr)!["error"]!;
        Assert.Equal("InvalidTemplateDeployment", error["code"]!.GetValue<string>());
        Assert.DoesNotContain("not-the-password", invalid.Stderr);
        Assert.NotEmpty(error["details"]!.AsArray());
    }

    [Fact]
    public async Task Create_with_several_mistakes_prints_one_arm_error_listing_each_with_its_path()
    {
        var template = JsonNode.Parse(File.ReadAllText(GatehouseProcess.Example("deploymentTemplate.forward-certificate.json")))!;
        var properties = template["resources"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Network/applicationGateways")!["properties"]!;
        properties["httpListeners"]![0]!["properties"]!["SslCertificate"]!["Id"] = "[concat(variables('applicationGatewayID'), '/sslCertificates/missingCert')]";
        properties["requestRoutingRules"]![0]!["properties"]!["backendAddressPool"]!["id"] = "[concat(variables('applicationGatewayID'), '/backendAddressPools/missingPool')]";
        properties["probes"] = JsonNode.Parse("""
            [ { "name": "probe1", "properties": { "protocol": "Http", "host": "127.0.0.1", "path": "/", "interval": 0, "timeout": 30, "unhealthyThreshold": 3 } } ]
            """);
        var brokenFile = Path.Combine(gateway.DataDirectory, "several-mistakes.json");
        File.WriteAllText(brokenFile, template.ToJsonString());

        // A group of its own, so the fixture's group keeps its one deployment.
        Assert.Equal(0, (await GatehouseAsync("group", "create", "-n", "rg-mistakes", "-l", "local")).ExitCode);
        var create = await GatehouseAsync(["deployment", "group", "create", "-g", "rg-mistakes", "--template-file", brokenFile,
            .. DeployedGateway.ExampleParameters(Convert.ToBase64String(File.ReadAllBytes(gateway.Certificates.ServerPfx)), gateway.Certificates.PfxPassword)]);

        Assert.Equal(1, create.ExitCode);
        Assert.Equal("", create.Stdout);
        var error = JsonNode.Parse(create.Stderr)!["error"]!;
        Assert.Equal("DeploymentFailed", error["code"]!.GetValue<string>());
        Assert.Equal(
            [
                "ApplicationGatewayPropertyValueOutOfRange properties.probes[0].properties.interval",
                "InvalidResourceReference properties.httpListeners[0].properties.sslCertificate",
                "InvalidResourceReference properties.requestRoutingRules[0].properties.backendAddressPool",
            ],
            error["details"]!.AsArray().Select(d => $"{d!["code"]} {d["target"]}").Order());
        Assert.DoesNotContain(gateway.Certificates.PfxPassword, create.Stderr);
    }

    [Fact]
    public async Task What_if_of_the_deployed_template_changes_nothing_and_shows_a_changed_port()
    {
        var same = await gateway.TemplateCommandAsync("what-if", gateway.Certificates.PfxPassword);
        Assert.True(same.ExitCode == 0, same.ToString());
        var changes = JsonNode.Parse(same.Stdout)!["properties"]!["changes"]!.AsArray();
        Assert.Equal(["NoChange"], changes.Select(c => c!["changeType"]!.GetValue<string>()).Distinct());

        var template = JsonNode.Parse(File.ReadAllText(GatehouseProcess.Example("deploymentTemplate.forward-certificate.json")))!;
        template["resources"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Network/applicationGateways")!
            ["properties"]!["frontendPorts"]![0]!["properties"]!["Port"] = 8443;
        var changedFile = Path.Combine(gateway.DataDirectory, "changed-port.json");
        File.WriteAllText(changedFile, template.ToJsonString());
        var changed = await GatehouseAsync("deployment", "group", "what-if", "-g", DeployedGateway.Group, "--template-file", changedFile,
            "--parameters", "@" + GatehouseProcess.Example("deploymentParameters.json"),
            "certData=" + Convert.ToBase64String(File.ReadAllBytes(gateway.Certificates.ServerPfx)), "certPassword=" + gateway.Certificates.PfxPassword,
            "adminSSHKey=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITestKey test");
        Assert.True(changed.ExitCode == 0, changed.ToString());
        var gatewayChange = JsonNode.Parse(changed.Stdout)!["properties"]!["changes"]!.AsArray().Single(c => c!["changeType"]!.GetValue<string>() != "NoChange")!;
        Assert.Equal("Modify", gatewayChange["changeType"]!.GetValue<string>());
        Assert.Contains(gatewayChange["delta"]!.AsArray(), d => d!["path"]!.GetValue<string>() == "properties.frontendPorts.0.properties.port" && d["after"]!.GetValue<int>() == 8443);
    }

    [Fact]
    public async Task Group_delete_asks_first_then_removes_the_group()
    {
        Assert.Equal(0, (await GatehouseAsync("group", "create", "-n", "rg-delete", "-l", "local")).ExitCode);

        var unconfirmed = await GatehouseAsync("group", "delete", "-n", "rg-delete");
        Assert.Equal(1, unconfirmed.ExitCode);
        Assert.Contains("OperationCanceled", unconfirmed.Stderr);
        Assert.Equal(0, (await GatehouseAsync("group", "show", "-n", "rg-delete")).ExitCode);

        var deleted = await GatehouseAsync("group", "delete", "-n", "rg-delete", "--yes");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal("", deleted.Stdout);
        var gone = await GatehouseAsync("group", "show", "-n", "rg-delete");
        Assert.Equal(3, gone.ExitCode);
        Assert.Equal("ResourceGroupNotFound", JsonNode.Parse(gone.Stderr)!["error"]!["code"]!.GetValue<string>());
        var groups = JsonNode.Parse((await GatehouseAsync("group", "list")).Stdout)!.AsArray();
        Assert.Equal([DeployedGateway.Group], groups.Select(g => g!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Lists_and_show_print_what_az_prints()
    {
        var gateways = await GatehouseAsync("network", "application-gateway", "list", "-g", DeployedGateway.Group);
        Assert.True(gateways.ExitCode == 0, gateways.ToString());
        Assert.Equal("mtlsAppGw", JsonNode.Parse(gateways.Stdout)!.AsArray().Single()!["name"]!.GetValue<string>());
        var everywhere = await GatehouseAsync("network", "application-gateway", "list");
        Assert.Single(JsonNode.Parse(everywhere.Stdout)!.AsArray());

        var deployments = JsonNode.Parse((await GatehouseAsync("deployment", "group", "list", "-g", DeployedGateway.Group)).Stdout)!.AsArray();
        var name = deployments.Single()!["name"]!.GetValue<string>();
        var shown = await GatehouseAsync("deployment", "group", "show", "-g", DeployedGateway.Group, "-n", name);
        Assert.Equal("Succeeded", JsonNode.Parse(shown.Stdout)!["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal(3, (await GatehouseAsync("deployment", "group", "show", "-g", DeployedGateway.Group, "-n", "nope")).ExitCode);
    }
}
