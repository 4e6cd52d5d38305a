using System.Text.Json.Nodes;
using Gatehouse.Demo;

namespace Gatehouse.Tests;

/// <summary>
/// A real <c>gatehouse serve</c> and the real Azure CLI signed in to it as a user does once (cloud register, cloud set,
/// service-principal login), with a resource group and the quickstart's two files in a working directory.
/// </summary>
public sealed class AzureCliSession : IAsyncLifetime
{
    public const string Group = "rg-az";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("gatehouse-az-serve-").FullName;
    private RunningGatehouse _serve = null!;
    private AzureCli _az = null!;
    private JsonNode _credentials = null!;

    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("gatehouse-az-work-").FullName;

    /// <summary>The local port that serves the quickstart's frontend port 444.</summary>
    public int GatewayPort { get; } = GatehouseProcess.FreePort();

    public DemoCertificates Certificates { get; private set; } = null!;

    public string SubscriptionId => Credential("subscriptionId");

    /// <summary>The service principal az signs in as; its object id in access policies is the same id.</summary>
    public string ClientId => Credential("clientId");

    public async Task InitializeAsync()
    {
        _serve = await RunningGatehouse.StartAsync("Management API:",
            "serve", "--data-dir", _dataDirectory, "--management-port", "0", "--port-map", $"444={GatewayPort}");
        var shown = await GatehouseProcess.RunGatehouseAsync("credentials", "show", "--output", "json", "--data-dir", _dataDirectory);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        _credentials = JsonNode.Parse(shown.Stdout)!;
        _az = AzureCli.Start(Credential("caFile"), new Uri(Credential("managementUrl")));
        WriteQuickstartFiles();

        var management = Credential("managementUrl");
        await RunAsync("cloud", "register", "-n", "Gatehouse",
            "--endpoint-resource-manager", management,
            "--endpoint-active-directory", management + "adfs",
            "--endpoint-active-directory-resource-id", "https://management.gatehouse.local/",
            "--endpoint-active-directory-graph-resource-id", "https://graph.gatehouse.local/");
        await RunAsync("cloud", "set", "-n", "Gatehouse");
        await RunAsync("login", "--service-principal", "-u", Credential("clientId"), "-p", Credential("clientSecret"), "--tenant", Credential("tenantId"));
        await RunAsync("group", "create", "-n", Group, "-l", "local");
    }

    /// <summary>A field of <c>gatehouse credentials show</c>: clientId, clientSecret, tenantId, subscriptionId, managementUrl, caFile, keyVaultProxy.</summary>
    public string Credential(string name) => _credentials[name]!.GetValue<string>();

    /// <summary>The article's two files, unchanged but for the placeholders in the copy of the parameter file.</summary>
    private void WriteQuickstartFiles()
    {
        var corpus = Path.Combine(GatehouseProcess.RepositoryRoot, "..", "shared", "corpus", "docs-mtls-passthrough-arm");
        File.Copy(Path.Combine(corpus, "deploymentTemplate.json"), Path.Combine(WorkDirectory, "deploymentTemplate.json"));
        Certificates = DemoCertificates.Create(Path.Combine(WorkDirectory, "certs"));
        var parameters = File.ReadAllText(Path.Combine(corpus, "deploymentParameters.json"))
            .Replace("<your-ssh-public-key>", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITestKey test", StringComparison.Ordinal)
            .Replace("<Base64-encoded-PFX-data>", Convert.ToBase64String(File.ReadAllBytes(Certificates.ServerPfx)), StringComparison.Ordinal)
            .Replace("<certificate-password>", Certificates.PfxPassword, StringComparison.Ordinal);
        Assert.DoesNotContain("<", parameters, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(WorkDirectory, "deploymentParameters.json"), parameters);
    }

    /// <summary>Runs az in the working directory; asserts success with az's and serve's output in the message.</summary>
    public async Task<Completed> RunAsync(params string[] arguments)
    {
        var result = await TryAsync(arguments);
        // The service principal's secret is an argument of az login; a failure message never shows it.
        var shown = string.Join(' ', arguments).Replace(Credential("clientSecret"), "****", StringComparison.Ordinal);
        Assert.True(result.ExitCode == 0, $"az {shown}\n{result}\n--- serve ---\n{_serve.Output}");
        return result;
    }

    public Task<Completed> TryAsync(params string[] arguments) => _az.RunAsync(WorkDirectory, arguments);

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        _az?.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
        Directory.Delete(WorkDirectory, recursive: true);
    }
}

/// <summary>
/// The real Azure CLI drives a real <c>gatehouse serve</c>: the quickstart's verbatim <c>az deployment group create</c>
/// with its own template and parameter file, then reads the result back as az users do.
/// </summary>
public sealed class AzureCliTests(AzureCliSession az) : IClassFixture<AzureCliSession>
{
    private const string GatewayName = "mtlsAppGw";

    [Fact]
    public async Task The_quickstart_deploys_verbatim_and_reads_back_through_az()
    {
        var deployed = JsonNode.Parse((await az.RunAsync("deployment", "group", "create", "--resource-group", AzureCliSession.Group,
            "--template-file", "deploymentTemplate.json", "--parameters", "@deploymentParameters.json")).Stdout)!;
        Assert.Equal("deploymentTemplate", deployed["name"]!.GetValue<string>());
        Assert.Equal("Succeeded", deployed["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Null(deployed["properties"]!["parameters"]!["certPassword"]!["value"]);

        var gatewayId = $"/subscriptions/{az.SubscriptionId}/resourceGroups/{AzureCliSession.Group}/providers/Microsoft.Network/applicationGateways/{GatewayName}";
        var shown = await az.RunAsync("resource", "show", "-g", AzureCliSession.Group, "-n", GatewayName, "--resource-type", "Microsoft.Network/applicationGateways");
        AssertSslProfileAsTheQuickstartShowsIt(JsonNode.Parse(shown.Stdout)!, gatewayId);

        var rest = await az.RunAsync("rest", "--method", "get", "--url",
            $"/subscriptions/{{subscriptionId}}/resourceGroups/{AzureCliSession.Group}/providers/Microsoft.Network/applicationGateways/{GatewayName}?api-version=2025-03-01");
        AssertSslProfileAsTheQuickstartShowsIt(JsonNode.Parse(rest.Stdout)!, gatewayId);
        Assert.DoesNotContain(az.Certificates.PfxPassword, rest.Stdout);
        Assert.DoesNotContain(Convert.ToBase64String(File.ReadAllBytes(az.Certificates.ServerPfx))[..64], rest.Stdout);

        // Debian's az needs the import shim for any 'az network' command; with it, the command reads the gateway.
        var network = JsonNode.Parse((await az.RunAsync("network", "application-gateway", "show", "-g", AzureCliSession.Group, "-n", GatewayName)).Stdout)!;
        Assert.Equal(gatewayId, network["id"]!.GetValue<string>());
        Assert.Equal("sslnotrustedcert", network["sslProfiles"]![0]!["name"]!.GetValue<string>());
    }

    /// <summary>The SSL profile as the article shows the GET: name, id, etag, and properties with the client-auth settings and the listener back-reference.</summary>
    private static void AssertSslProfileAsTheQuickstartShowsIt(JsonNode gateway, string gatewayId)
    {
        var profile = gateway["properties"]!["sslProfiles"]!.AsArray().Single()!.AsObject();
        // az adds 'resourceGroup', taken from the id, to every object with an id that it prints.
        Assert.Equal(["etag", "id", "name", "properties"], profile.Select(p => p.Key).Where(key => key != "resourceGroup").Order());
        Assert.Equal("sslnotrustedcert", profile["name"]!.GetValue<string>());
        Assert.Equal($"{gatewayId}/sslProfiles/sslnotrustedcert", profile["id"]!.GetValue<string>());
        Assert.StartsWith("W/\"", profile["etag"]!.GetValue<string>());
        var expected = JsonNode.Parse($$"""
            {
              "provisioningState": "Succeeded",
              "clientAuthConfiguration": { "verifyClientCertIssuerDN": false, "verifyClientRevocation": "None", "verifyClientAuthMode": "Passthrough" },
              "httpListeners": [ { "id": "{{gatewayId}}/httpListeners/listener2" } ]
            }
            """);
        var properties = profile["properties"]!.DeepClone().AsObject();
        foreach (var listener in properties["httpListeners"]?.AsArray() ?? []) listener!.AsObject().Remove("resourceGroup");
        Assert.True(JsonNode.DeepEquals(expected, properties), $"expected {expected}\nactual {profile["properties"]}");
    }

    [Fact]
    public async Task Az_monitor_metrics_list_counts_the_requests_the_gateway_served_by_minute()
    {
        await az.RunAsync("deployment", "group", "create", "--resource-group", AzureCliSession.Group,
            "--template-file", "deploymentTemplate.json", "--parameters", "@deploymentParameters.json");
        var gatewayId = $"/subscriptions/{az.SubscriptionId}/resourceGroups/{AzureCliSession.Group}/providers/Microsoft.Network/applicationGateways/{GatewayName}";
        // The quickstart's backend is an App Service host that does not resolve here: each request is answered (502) and counted.
        const int Requests = 3;
        for (var i = 0; i < Requests; i++)
        {
            var sent = await GatehouseProcess.CurlAsync("--cacert", az.Certificates.CaPem, "--output", "/dev/null", $"https://localhost:{az.GatewayPort}/");
            Assert.True(sent.ExitCode == 0, sent.ToString());
        }

        // A request is counted as it ends, just after the client has its response: ask again until all are in (bounded).
        double counted = 0;
        JsonNode listed = null!;
        for (var attempt = 0; attempt < 10 && counted < Requests; attempt++)
        {
            listed = JsonNode.Parse((await az.RunAsync("monitor", "metrics", "list", "--resource", gatewayId, "--metric", "TotalRequests", "--interval", "PT1M")).Stdout)!;
            counted = listed["value"]![0]!["timeseries"]![0]!["data"]!.AsArray().Sum(point => (double?)point!["total"] ?? 0);
        }

        Assert.Equal(Requests, counted);
        Assert.Equal("TotalRequests", (string?)listed["value"]![0]!["name"]!["value"]);
        // az prints the interval as Python renders a timedelta.
        Assert.Equal("0:01:00", (string?)listed["interval"]);
        Assert.InRange(listed["value"]![0]!["timeseries"]![0]!["data"]!.AsArray().Count, 60, 61);
    }

    [Fact]
    public async Task Az_stop_and_start_end_and_resume_serving_as_operationalState_shows()
    {
        await az.RunAsync("deployment", "group", "create", "--resource-group", AzureCliSession.Group,
            "--template-file", "deploymentTemplate.json", "--parameters", "@deploymentParameters.json");
        string[] request = ["--cacert", az.Certificates.CaPem, "--output", "/dev/null", "--write-out", "%{http_code}", $"https://localhost:{az.GatewayPort}/"];

        await az.RunAsync("network", "application-gateway", "stop", "-g", AzureCliSession.Group, "-n", GatewayName);
        var stopped = await StateAsync();
        var whileStopped = await GatehouseProcess.CurlAsync(request);
        await az.RunAsync("network", "application-gateway", "start", "-g", AzureCliSession.Group, "-n", GatewayName);
        var started = await StateAsync();
        var afterStart = await GatehouseProcess.CurlAsync(request);

        Assert.Equal("Stopped", stopped);
        // curl's exit code 7: nothing listens on the port any more.
        Assert.True(whileStopped.ExitCode == 7, whileStopped.ToString());
        Assert.Equal("Running", started);
        // The quickstart's backend does not resolve here, so the gateway itself answers.
        Assert.True(afterStart.ExitCode == 0 && afterStart.Stdout == "502", afterStart.ToString());

        async Task<string?> StateAsync() => (string?)JsonNode.Parse((await az.RunAsync("network", "application-gateway", "show",
            "-g", AzureCliSession.Group, "-n", GatewayName, "--query", "{state: operationalState}")).Stdout)!["state"];
    }

    [Fact]
    public async Task Validate_of_a_broken_template_prints_the_clear_error_and_fails()
    {
        var broken = File.ReadAllText(Path.Combine(az.WorkDirectory, "deploymentTemplate.json"))
            .Replace("variables('applicationGatewayName')", "variables('applicationGatewayNam')", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(az.WorkDirectory, "broken.json"), broken);

        var validated = await az.TryAsync("deployment", "group", "validate", "--resource-group", AzureCliSession.Group,
            "--template-file", "broken.json", "--parameters", "@deploymentParameters.json");

        Assert.True(validated.ExitCode != 0, validated.ToString());
        Assert.Contains("applicationGatewayNam", validated.Stderr);
        Assert.Contains("InvalidTemplate", validated.Stderr);
    }

    [Fact]
    public async Task Az_waf_config_list_rule_sets_lists_the_CRS_rules_the_WAF_runs_in_every_group()
    {
        var sets = JsonNode.Parse((await az.RunAsync("network", "application-gateway", "waf-config", "list-rule-sets",
            "--type", "OWASP", "--version", "3.2", "--group", "*")).Stdout)!.AsArray();

        var groups = Assert.Single(sets)!["ruleGroups"]!.AsArray();
        Assert.All(groups, g => Assert.NotEmpty(g!["rules"]!.AsArray()));
        var sqli = groups.Single(g => (string?)g!["ruleGroupName"] == "REQUEST-942-APPLICATION-ATTACK-SQLI")!["rules"]!.AsArray();
        Assert.Contains(sqli, r => (int)r!["ruleId"]! == 942100 && (string?)r["description"] == "SQL Injection Attack Detected via libinjection");
    }
}
