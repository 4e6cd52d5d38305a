using System.Text.Json.Nodes;
using Gatehouse.Demo;

namespace Gatehouse.Tests;

/// <summary>
/// A real <c>gatehouse serve</c> process with the quickstart variant that forwards the client certificate (or another
/// example template), deployed through the real command line; its backend is the demo echo backend, reached through --resolve.
/// </summary>
/// <param name="template">The example template deployed.</param>
/// <param name="templateParameters">What the template needs besides the example's parameters, asked once serve runs.</param>
/// <param name="postgres">The cluster whose new database serve stores in; null for SQLite in the data directory (the default).</param>
public class DeployedGateway : IAsyncLifetime
{
    private readonly string template;
    private readonly Func<DeployedGateway, Task<string[]>> templateParameters;
    private readonly PostgresCluster? postgres;

    // The one public constructor, as xunit wants of a class fixture.
    public DeployedGateway() : this(postgres: null)
    {
    }

    private protected DeployedGateway(PostgresCluster? postgres) : this("deploymentTemplate.forward-certificate.json", _ => Task.FromResult(Array.Empty<string>()), postgres)
    {
    }

    internal DeployedGateway(string template, Func<DeployedGateway, Task<string[]>> templateParameters, PostgresCluster? postgres = null)
    {
        this.template = template;
        this.templateParameters = templateParameters;
        this.postgres = postgres;
    }

    public const string Group = "rg1";
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("gatehouse-e2e-").FullName;
    public DemoCertificates Certificates { get; private set; } = null!;
    public int Port { get; } = GatehouseProcess.FreePort();
    public string Url => $"https://localhost:{Port}/";
    internal RunningGatehouse Serve { get; private set; } = null!;
    private EchoBackend backend = null!;
    private string[] parameters = [];
    private string[] storeOptions = [];

    public async Task InitializeAsync()
    {
        Certificates = DemoCertificates.Create(Path.Combine(DataDirectory, "certs"));
        backend = await EchoBackend.StartAsync();
        storeOptions = await PostgresCluster.StoreOptionsAsync(postgres, DataDirectory);
        await StartServeAsync();
        var group = await GatehouseProcess.RunGatehouseAsync("group", "create", "--name", Group, "--location", "local", "--data-dir", DataDirectory);
        Assert.True(group.ExitCode == 0, group.ToString());
        parameters = await templateParameters(this);
        var deployed = await DeployAsync(Certificates.PfxPassword);
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
    }

    /// <param name="options">More options for serve, such as <c>--no-access-log</c>.</param>
    public async Task StartServeAsync(params string[] options) => Serve = await RunningGatehouse.StartAsync("Management API:",
        [
            "serve", "--data-dir", DataDirectory, "--management-port", "0",
            "--resolve", $"{UpCommand.ExampleBackendHost}={backend.EndPoint}",
            "--port-map", $"444={Port}", .. storeOptions, .. options,
        ]);

    public Task<Completed> DeployAsync(string password, string? certData = null, params string[] extraParameters) =>
        TemplateCommandAsync("create", password, certData, extraParameters);

    /// <summary><c>gatehouse deployment group VERB</c> (create, validate, what-if) of the example with its parameters.</summary>
    public Task<Completed> TemplateCommandAsync(string verb, string password, string? certData = null, params string[] extraParameters) =>
        GatehouseProcess.RunGatehouseAsync(
        [
            "deployment", "group", verb, "--resource-group", Group, "--data-dir", DataDirectory,
            "--template-file", GatehouseProcess.Example(template),
            .. ExampleParameters(certData ?? Convert.ToBase64String(File.ReadAllBytes(Certificates.ServerPfx)), password),
            .. parameters,
            .. extraParameters,
        ]);

    /// <summary>Stops the backend as a crashed server would go: its port refuses connections from then on.</summary>
    public ValueTask StopBackendAsync() => backend.DisposeAsync();

    /// <summary>The example's parameter file and the parameters it leaves to the command line.</summary>
    public static string[] ExampleParameters(string certData, string certPassword) =>
    [
        "--parameters", "@" + GatehouseProcess.Example("deploymentParameters.json"),
        "certData=" + certData,
        "certPassword=" + certPassword,
        "adminSSHKey=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITestKey test",
    ];

    /// <summary>A GET through the gateway with curl; returns the echo backend's view of the request.</summary>
    public async Task<JsonObject> GetThroughGatewayAsync(params string[] curlArguments)
    {
        var result = await GatehouseProcess.CurlAsync(["--fail", "--cacert", Certificates.CaPem, .. curlArguments, Url]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Stdout)!.AsObject();
    }

    public static string? Header(JsonObject echo, string name) =>
        echo["headers"]!.AsObject().FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>();

    public async Task DisposeAsync()
    {
        await Serve.DisposeAsync();
        await backend.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}

/// <summary>The same gateway with serve's store in a database of the shared PostgreSQL cluster.</summary>
public sealed class DeployedGatewayOnPostgres(PostgresCluster postgres) : DeployedGateway(postgres);
