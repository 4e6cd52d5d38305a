using System.Net;
using System.Text.Json.Nodes;

namespace Gatehouse.Control.Tests;

/// <summary>Deployments to different resource groups run side by side; a running deployment can be canceled and changes nothing.</summary>
public sealed class DeploymentConcurrencyTests
{
    private static readonly ReferenceDeployment Reference = ReferenceDeployment.Create();

    private const string Empty = """{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [] }""";

    /// <summary>A deployment of nothing but a linked template at <paramref name="link"/>.</summary>
    private static JsonObject Linking(Uri link) => new()
    {
        ["properties"] = new JsonObject
        {
            ["mode"] = "Incremental",
            ["template"] = JsonNode.Parse($$"""
                { "contentVersion": "1.0.0.0", "resources": [
                    { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "slow",
                      "properties": { "mode": "Incremental", "templateLink": { "uri": "{{link}}" } } } ] }
                """),
        },
    };

    private static JsonObject EmptyDeployment() => new() { ["properties"] = new JsonObject { ["mode"] = "Incremental", ["template"] = JsonNode.Parse(Empty) } };

    private static async Task<string> StateAsync(RunningServer server, string group, string name) =>
        (await server.SendAsync(HttpMethod.Get, $"{server.DeploymentPath(group, name)}?{RunningServer.ApiVersion}")).Json!["properties"]!["provisioningState"]!.GetValue<string>();

    /// <summary>Polls until the deployment is no longer Running, within a bounded time.</summary>
    private static async Task<string> FinishedStateAsync(RunningServer server, string group, string name)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var state = await StateAsync(server, group, name);
            if (state != "Running") return state;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Deployment {name} did not finish.");
    }

    [Fact]
    public async Task A_slow_linked_template_in_one_resource_group_does_not_delay_a_deployment_in_another()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var links = await LinkServer.StartAsync(new Dictionary<string, string> { ["slow.json"] = Empty }, release.Task);
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("slow-rg");
        await server.CreateResourceGroupAsync("fast-rg");
        try
        {
            var slow = await server.SendAsync(HttpMethod.Put, $"{server.DeploymentPath("slow-rg", "waiting")}?{RunningServer.ApiVersion}", Linking(new Uri(links.BaseUri, "slow.json")));
            Assert.Equal(HttpStatusCode.Created, slow.Status);

            var fast = await server.DeployAsync("fast-rg", "quick", EmptyDeployment());

            Assert.Equal("Succeeded", fast["status"]!.GetValue<string>());
            Assert.Equal("Running", await StateAsync(server, "slow-rg", "waiting"));
        }
        finally
        {
            release.SetResult();
        }
        Assert.Equal("Succeeded", await FinishedStateAsync(server, "slow-rg", "waiting"));
    }

    [Fact]
    public async Task A_deployment_PUT_answers_Running_201_then_200_and_its_Location_answers_202_until_the_deployment_is_done()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var links = await LinkServer.StartAsync(new Dictionary<string, string> { ["slow.json"] = Empty }, release.Task);
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        Assert.Equal("Succeeded", (await server.DeployAsync("rg1", "again", EmptyDeployment()))["status"]!.GetValue<string>());

        var started = await server.SendAsync(HttpMethod.Put, $"{server.DeploymentPath("rg1", "again")}?{RunningServer.ApiVersion}", Linking(new Uri(links.BaseUri, "slow.json")));
        Reply polled;
        try
        {
            Assert.Equal(HttpStatusCode.OK, started.Status);
            Assert.Equal("Running", started.Json!["properties"]!["provisioningState"]!.GetValue<string>());
            Assert.Contains("/operationStatuses/", started.Headers.GetValues("Azure-AsyncOperation").Single());
            polled = await server.SendAsync(HttpMethod.Get, started.Headers.Location!.PathAndQuery);
            Assert.Equal(HttpStatusCode.Accepted, polled.Status);
            Assert.Equal(started.Headers.Location, polled.Headers.Location);
        }
        finally
        {
            release.SetResult();
        }
        Assert.Equal("Succeeded", await FinishedStateAsync(server, "rg1", "again"));
        polled = await server.SendAsync(HttpMethod.Get, started.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, polled.Status);
        Assert.Equal("Succeeded", polled.Json!["properties"]!["provisioningState"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_canceled_deployment_ends_Canceled_and_the_previous_gateway_keeps_serving()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var links = await LinkServer.StartAsync(new Dictionary<string, string> { ["slow.json"] = Empty }, release.Task);
        await using var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        Assert.Equal("Succeeded", (await server.DeployAsync("rg1", "first", Reference.Body()))["status"]!.GetValue<string>());
        var serving = Assert.Single(server.Runtime.Serving);
        var applies = server.Runtime.Applied.Count;
        try
        {
            // The reference template again, on another port, waiting for a linked template that does not come.
            var template = Reference.Template;
            template["resources"]![2]!["properties"]!["frontendPorts"]![0]!["properties"]!["Port"] = 445;
            template["resources"]!.AsArray().Add(Linking(new Uri(links.BaseUri, "slow.json"))["properties"]!["template"]!["resources"]![0]!.DeepClone());
            var started = await server.SendAsync(HttpMethod.Put, $"{server.DeploymentPath("rg1", "second")}?{RunningServer.ApiVersion}", Reference.Body(template));
            Assert.Equal(HttpStatusCode.Created, started.Status);

            var cancel = await server.SendAsync(HttpMethod.Post, $"{server.DeploymentPath("rg1", "second")}/cancel?{RunningServer.ApiVersion}", (string?)null);

            Assert.Equal(HttpStatusCode.NoContent, cancel.Status);
            Assert.Equal("Canceled", await FinishedStateAsync(server, "rg1", "second"));
        }
        finally
        {
            release.SetResult();
        }
        Assert.Equal(applies, server.Runtime.Applied.Count);
        Assert.Same(serving, Assert.Single(server.Runtime.Serving));
        var gateway = await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01");
        Assert.Equal(444, gateway.Json!["properties"]!["frontendPorts"]![0]!["properties"]!["port"]!.GetValue<int>());
        var again = await server.SendAsync(HttpMethod.Post, $"{server.DeploymentPath("rg1", "second")}/cancel?{RunningServer.ApiVersion}", (string?)null);
        Assert.Equal((HttpStatusCode.Conflict, "DeploymentCannotBeCancelled"), (again.Status, again.ErrorCode));
    }
}
