using System.Text.Json.Nodes;
using Gatehouse.Cli;

namespace Gatehouse.Tests;

/// <summary>SIGKILL of serve in the middle of a deployment: after a restart the store holds the old state, and the deployment reads Failed.</summary>
public sealed class CrashConsistencyTests : IAsyncLifetime
{
    private const string Group = "rg-crash";

    // The most resources ARM takes in one deployment (the kept one and a copy loop of 799), so that provisioning takes
    // far longer than the test needs to kill serve.
    private const int Copies = 799;
    private const int Loops = 1;

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("gatehouse-crash-").FullName;
    private RunningGatehouse _serve = null!;

    public async Task InitializeAsync() => _serve = await StartServeAsync();

    private Task<RunningGatehouse> StartServeAsync() =>
        RunningGatehouse.StartAsync("Management API:", "serve", "--data-dir", _dataDirectory, "--management-port", "0");

    /// <summary>One public IP tagged with <paramref name="version"/>, and optionally many more from copy loops.</summary>
    private string WriteTemplate(string name, string version, int loops)
    {
        var resources = new JsonArray(PublicIp("'kept'", version, null));
        for (var loop = 0; loop < loops; loop++)
            resources.Add(PublicIp($"concat('bulk{loop}-', copyIndex())", version, new JsonObject { ["name"] = $"bulk{loop}", ["count"] = Copies }));
        var template = new JsonObject
        {
            ["$schema"] = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            ["contentVersion"] = "1.0.0.0",
            ["resources"] = resources,
        };
        var path = Path.Combine(_dataDirectory, name);
        File.WriteAllText(path, template.ToJsonString());
        return path;
    }

    private static JsonObject PublicIp(string nameExpression, string version, JsonObject? copy)
    {
        var resource = new JsonObject
        {
            ["type"] = "Microsoft.Network/publicIPAddresses",
            ["apiVersion"] = "2024-07-01",
            ["name"] = $"[{nameExpression}]",
            ["location"] = "local",
            ["tags"] = new JsonObject { ["version"] = version },
            ["properties"] = new JsonObject { ["publicIPAllocationMethod"] = "Static" },
        };
        if (copy is not null) resource["copy"] = copy;
        return resource;
    }

    [Fact]
    public async Task Killed_in_the_middle_of_a_deployment_the_store_keeps_the_old_state_and_the_deployment_failed()
    {
        Assert.Equal(0, (await GatehouseProcess.RunGatehouseAsync("group", "create", "-n", Group, "--data-dir", _dataDirectory)).ExitCode);
        var old = await GatehouseProcess.RunGatehouseAsync("deployment", "group", "create", "-g", Group, "-n", "old",
            "--template-file", WriteTemplate("old.json", "1", loops: 0), "--data-dir", _dataDirectory);
        Assert.True(old.ExitCode == 0, old.ToString());

        using (var client = ManagementClient.Connect(_dataDirectory))
        {
            var deploymentPath = $"subscriptions/{client.SubscriptionId}/resourcegroups/{Group}/providers/Microsoft.Resources/deployments/big?api-version=2021-04-01";
            var body = new JsonObject { ["properties"] = new JsonObject { ["mode"] = "Incremental", ["template"] = JsonNode.Parse(File.ReadAllText(WriteTemplate("big.json", "2", Loops))) } };
            var started = await client.SendAsync(HttpMethod.Put, deploymentPath, body);
            Assert.True(started.IsSuccess, started.Body?.ToJsonString());
            // Killed at once, long before its thousands of resources are provisioned.
            Assert.Equal("Running", (string?)started.Body?["properties"]?["provisioningState"]);
        }
        await _serve.StopAsync(abruptly: true);

        _serve = await StartServeAsync();
        var shown = await GatehouseProcess.RunGatehouseAsync("deployment", "group", "show", "-g", Group, "-n", "big", "--data-dir", _dataDirectory);
        var properties = JsonNode.Parse(shown.Stdout)!["properties"]!;
        Assert.Equal("Failed", properties["provisioningState"]!.GetValue<string>());
        Assert.Equal("DeploymentCanceled", properties["error"]!["code"]!.GetValue<string>());
        Assert.Contains("nothing of it was committed", properties["error"]!["message"]!.GetValue<string>());

        using var restarted = ManagementClient.Connect(_dataDirectory);
        var resources = (await restarted.SendAsync(HttpMethod.Get, $"subscriptions/{restarted.SubscriptionId}/resourceGroups/{Group}/resources?api-version=2021-04-01")).Body!["value"]!.AsArray();
        var kept = Assert.Single(resources)!;
        Assert.Equal("kept", kept["name"]!.GetValue<string>());
        Assert.Equal("1", kept["tags"]!["version"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
