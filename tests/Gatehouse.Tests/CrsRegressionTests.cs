using System.Text.Json.Nodes;
using Gatehouse.Demo;

namespace Gatehouse.Tests;

/// <summary>
/// The OWASP CRS 3.3.4 regression tests (../shared/waf, byte-exact requests by its runner) over real TLS against a
/// WAF_v2 gateway deployed from examples/waf in Prevention with OWASP 3.2, compared test by test with the reference
/// (nginx + ModSecurity + the same CRS, Azure's settings).
/// </summary>
public sealed class CrsRegressionTests : IAsyncLifetime
{
    /// <summary>
    /// Where the outcome differs from the reference's, and why: none is the engine deciding otherwise. nginx answers
    /// 400 to the method <c>|GET</c> itself, which Kestrel hands to the engine, whose rule 920100 blocks it (920100-14).
    /// </summary>
    private static readonly string[] HttpServerDifferences = ["920100-14"];

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("gatehouse-crs-").FullName;
    private readonly int _port = GatehouseProcess.FreePort();
    private EchoBackend _backend = null!;
    private RunningGatehouse _serve = null!;

    private static string Suite(params string[] parts) => Path.Combine([GatehouseProcess.RepositoryRoot, "..", "shared", "waf", .. parts]);

    public async Task InitializeAsync()
    {
        var certificates = DemoCertificates.Create(Path.Combine(_dataDirectory, "certs"));
        _backend = await EchoBackend.StartAsync();
        _serve = await RunningGatehouse.StartAsync("Management API:",
        [
            "serve", "--data-dir", _dataDirectory, "--management-port", "0", "--no-access-log",
            "--resolve", $"{UpCommand.ExampleBackendHost}={_backend.EndPoint}", "--port-map", $"444={_port}",
        ]);
        var group = await GatehouseProcess.RunGatehouseAsync("group", "create", "--name", "rg1", "--location", "local", "--data-dir", _dataDirectory);
        Assert.True(group.ExitCode == 0, group.ToString());
        var deployed = await GatehouseProcess.RunGatehouseAsync(
        [
            "deployment", "group", "create", "--resource-group", "rg1", "--data-dir", _dataDirectory,
            "--template-file", Path.Combine(GatehouseProcess.RepositoryRoot, "examples", "waf", "deploymentTemplate.json"),
            .. DeployedGateway.ExampleParameters(Convert.ToBase64String(File.ReadAllBytes(certificates.ServerPfx)), certificates.PfxPassword),
        ]);
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
    }

    [Fact]
    public async Task The_CRS_regression_tests_give_the_references_outcome_wherever_its_engine_decided()
    {
        var summaryFile = Path.Combine(_dataDirectory, "summary.json");
        var run = await GatehouseProcess.RunAsync(GatehouseProcess.StartInfo("python3",
        [
            Suite("ftw_lite.py"), "--host", "127.0.0.1", "--port", _port.ToString(), "--tls", "--jobs", "4",
            "--baseline", Suite("anchor", "waf-pl1.results.json"), "--json-out", summaryFile, Suite("crs-tests"),
        ]), timeoutSeconds: 300);
        var summary = JsonNode.Parse(await File.ReadAllTextAsync(summaryFile))!;

        Assert.True(summary["errors"]!.AsObject().Count == 0, run.ToString());
        var differences = summary["baseline"]!["differences"]!.AsArray().Select(d => d!.GetValue<string>().Split(' ')[0]).ToList();
        Assert.Equal(1029, (int)summary["total"]!);
        Assert.Subset(HttpServerDifferences.ToHashSet(), differences.ToHashSet());
        // The reference passes 665: requests Kestrel refuses itself are judged by the engine first (RefusedRequestGate).
        Assert.InRange((int)summary["passed"]!, 665, 1029);
        Assert.Equal(new { lfi = 11, rce = 162 }, new
        {
            lfi = (int)summary["per_rule_file"]!["REQUEST-930-APPLICATION-ATTACK-LFI"]!["passed"]!,
            rce = (int)summary["per_rule_file"]!["REQUEST-932-APPLICATION-ATTACK-RCE"]!["passed"]!,
        });
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _backend.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
