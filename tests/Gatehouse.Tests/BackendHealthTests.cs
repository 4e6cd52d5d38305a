using System.Net;
using System.Text.Json.Nodes;
using Gatehouse.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Tests;

/// <summary>
/// Backend health end to end: the example deployed with a one-second probe through the real command line, its
/// backend made to fail its probe and recover, and show-backend-health reporting each state as Azure words it.
/// </summary>
public sealed class BackendHealthTests : IAsyncLifetime
{
    private const int MaxPolls = 60;

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("gatehouse-health-").FullName;
    private WebApplication _backend = null!;
    private RunningGatehouse _serve = null!;
    private volatile int _probeStatus = 200;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _backend = builder.Build();
        _backend.Run(context =>
        {
            context.Response.StatusCode = context.Request.Path == "/health" ? _probeStatus : 200;
            return context.Response.WriteAsync("backend");
        });
        await _backend.StartAsync();
        _serve = await RunningGatehouse.StartAsync("Management API:", "serve", "--data-dir", _dataDirectory, "--management-port", "0",
            "--resolve", $"{UpCommand.ExampleBackendHost}={new Uri(_backend.Urls.Single()).Authority}", "--port-map", $"444={GatehouseProcess.FreePort()}");
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _backend.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>The example gateway with a custom probe whose answer the test sets, deployed into rg1.</summary>
    private async Task DeployProbedGatewayAsync()
    {
        Assert.Equal(0, (await Gatehouse("group", "create", "--name", "rg1", "--location", "local")).ExitCode);
        var certificates = DemoCertificates.Create(Path.Combine(_dataDirectory, "certs"));
        var template = Path.Combine(_dataDirectory, "probed.json");
        File.WriteAllText(template, ProbedTemplate().ToJsonString());
        var deployed = await Gatehouse(["deployment", "group", "create", "--resource-group", "rg1", "--template-file", template,
            .. DeployedGateway.ExampleParameters(Convert.ToBase64String(File.ReadAllBytes(certificates.ServerPfx)), certificates.PfxPassword)]);
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
    }

    [Fact]
    public async Task A_backend_that_starts_failing_is_reported_Down_then_Up_again()
    {
        await DeployProbedGatewayAsync();

        var up = await HealthUntilAsync("Up");
        _probeStatus = 503;
        var down = await HealthUntilAsync("Down");
        _probeStatus = 200;
        var again = await HealthUntilAsync("Up");

        Assert.Equal("Success. Received 200 status code", up["healthProbeLog"]!.GetValue<string>());
        Assert.Equal("Status code of the backend's HTTP response did not match the probe setting. Expected:200-399 Received:503.",
            down["healthProbeLog"]!.GetValue<string>());
        Assert.Equal(UpCommand.ExampleBackendHost, again["address"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_on_demand_probe_reaches_the_backend_now_with_its_own_path_and_match()
    {
        await DeployProbedGatewayAsync();
        _probeStatus = 503;

        var failing = await OnDemandAsync("--path", "/health");
        var other = await OnDemandAsync("--path", "/other", "--match-body", "backend", "--match-status-codes", "200");
        var wrongBody = await OnDemandAsync("--path", "/other", "--match-body", "nowhere");
        var unknownPool = await Gatehouse("network", "application-gateway", "show-backend-health", "-g", "rg1", "-n", "mtlsAppGw",
            "--address-pool", "nope", "--http-settings", "settings2", "--path", "/");

        Assert.EndsWith("/backendAddressPools/pool2", failing["backendAddressPool"]!["id"]!.GetValue<string>());
        var server = failing["backendHealthHttpSettings"]!["servers"]![0]!;
        Assert.Equal((UpCommand.ExampleBackendHost, "Down"), (server["address"]!.GetValue<string>(), server["health"]!.GetValue<string>()));
        Assert.Equal("Status code of the backend's HTTP response did not match the probe setting. Expected:200-399 Received:503.",
            server["healthProbeLog"]!.GetValue<string>());
        Assert.Equal("Up", other["backendHealthHttpSettings"]!["servers"]![0]!["health"]!.GetValue<string>());
        Assert.Equal("Body of the backend's HTTP response did not match the probe setting. Received response body doesn't contain nowhere.",
            wrongBody["backendHealthHttpSettings"]!["servers"]![0]!["healthProbeLog"]!.GetValue<string>());
        Assert.NotEqual(0, unknownPool.ExitCode);
        Assert.Contains("InvalidResourceReference", unknownPool.ToString());
    }

    /// <summary>show-backend-health with probe flags: az's on-demand probe of the example's pool2 under settings2.</summary>
    private async Task<JsonNode> OnDemandAsync(params string[] probe)
    {
        var shown = await Gatehouse(["network", "application-gateway", "show-backend-health", "-g", "rg1", "-n", "mtlsAppGw",
            "--address-pool", "pool2", "--http-settings", "settings2", "--host", "127.0.0.1", .. probe]);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        return JsonNode.Parse(shown.Stdout)!;
    }

    /// <summary>The example with a custom probe on its settings: GET /health every second, down after one failure.</summary>
    private static JsonNode ProbedTemplate()
    {
        var template = JsonNode.Parse(File.ReadAllText(GatehouseProcess.Example("deploymentTemplate.forward-certificate.json")))!;
        var gateway = template["resources"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Network/applicationGateways")!["properties"]!;
        gateway["probes"] = new JsonArray(new JsonObject
        {
            ["name"] = "health",
            ["properties"] = new JsonObject
            {
                ["protocol"] = "Http", ["host"] = "127.0.0.1", ["path"] = "/health", ["interval"] = 1, ["timeout"] = 5, ["unhealthyThreshold"] = 1,
            },
        });
        gateway["backendHttpSettingsCollection"]![0]!["properties"]!["probe"] = new JsonObject
        {
            ["id"] = "[concat(resourceId('Microsoft.Network/applicationGateways', variables('applicationGatewayName')), '/probes/health')]",
        };
        return template;
    }

    /// <summary>Runs show-backend-health until the one server reports <paramref name="health"/>; bounded in count and, by each run's timeout, in time.</summary>
    private async Task<JsonNode> HealthUntilAsync(string health)
    {
        JsonNode? server = null;
        for (var poll = 0; poll < MaxPolls; poll++)
        {
            var shown = await Gatehouse("network", "application-gateway", "show-backend-health", "-g", "rg1", "-n", "mtlsAppGw");
            Assert.True(shown.ExitCode == 0, shown.ToString());
            server = JsonNode.Parse(shown.Stdout)!["backendAddressPools"]![0]!["backendHttpSettingsCollection"]![0]!["servers"]![0]!;
            if (server["health"]!.GetValue<string>() == health) return server;
            await Task.Delay(250);
        }
        Assert.Fail($"The server was not reported {health}; last: {server?.ToJsonString()}");
        return server!;
    }

    private Task<Completed> Gatehouse(params string[] arguments) => GatehouseProcess.RunGatehouseAsync([.. arguments, "--data-dir", _dataDirectory]);
}
