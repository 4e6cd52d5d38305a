using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Corpus;

namespace Gatehouse.Tests;

/// <summary>
/// A real <c>gatehouse serve</c> for corpus templates: their frontend ports (80, 443, 444, 8080) are served on free
/// local ports. Two gateways cannot both serve frontend port 80 there, so each test deploys into a resource group of
/// its own and deletes it when done (<see cref="InGroupAsync"/>).
/// </summary>
public class CorpusServe : IAsyncLifetime
{
    private readonly PostgresCluster? postgres;

    // The one public constructor, as xunit wants of a class fixture.
    public CorpusServe() : this(postgres: null)
    {
    }

    /// <param name="postgres">The cluster whose new database serve stores in; null for SQLite in the data directory (the default).</param>
    private protected CorpusServe(PostgresCluster? postgres) => this.postgres = postgres;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("gatehouse-corpus-").FullName;
    private RunningGatehouse serve = null!;

    public async Task InitializeAsync() => serve = await RunningGatehouse.StartAsync("Management API:",
        ["serve", "--data-dir", DataDirectory, "--management-port", "0",
         .. new[] { 80, 443, 444, 8080 }.SelectMany(port => new[] { "--port-map", $"{port}={GatehouseProcess.FreePort()}" }),
         .. await PostgresCluster.StoreOptionsAsync(postgres, DataDirectory)]);

    public Task<Completed> GatehouseAsync(params string[] arguments) =>
        GatehouseProcess.RunGatehouseAsync([.. arguments, "--data-dir", DataDirectory]);

    /// <summary>Runs <paramref name="test"/> with a new resource group, deleted afterwards with everything in it.</summary>
    public async Task InGroupAsync(string group, Func<string, Task> test)
    {
        var created = await GatehouseAsync("group", "create", "--name", group, "--location", "westeurope");
        Assert.True(created.ExitCode == 0, created.ToString());
        try
        {
            await test(group);
        }
        finally
        {
            var deleted = await GatehouseAsync("group", "delete", "--name", group, "--yes");
            Assert.True(deleted.ExitCode == 0, deleted.ToString());
        }
    }

    /// <summary>
    /// <c>gatehouse deployment group VERB</c> of a template with the corpus's parameters for it
    /// (<see cref="CorpusTemplates.Parameters"/>) written to a parameter file, then the extra NAME=VALUE arguments.
    /// </summary>
    public Task<Completed> TemplateCommandAsync(string verb, string group, string templateFile, JsonObject parameters, params string[] extra)
    {
        var parameterFile = Path.Combine(DataDirectory, $"{group}-{Guid.NewGuid():N}.parameters.json");
        File.WriteAllText(parameterFile, new JsonObject { ["parameters"] = parameters.DeepClone() }.ToJsonString());
        return GatehouseAsync(["deployment", "group", verb, "--resource-group", group, "--template-file", templateFile, "--parameters", "@" + parameterFile, .. extra]);
    }

    /// <summary>The corpus template's path and its parameters, from its parameter file unless <paramref name="withParameterFile"/> is false.</summary>
    public static (string File, JsonObject Parameters) Corpus(string template, bool withParameterFile = true)
    {
        var parsed = (JsonObject)Jsonc.Parse(CorpusTemplates.Read(template));
        var file = Path.Combine(CorpusTemplates.Root, template);
        return (file, CorpusTemplates.Parameters(parsed, withParameterFile ? CorpusTemplates.ParameterFile(template) : null));
    }

    public async Task DisposeAsync()
    {
        await serve.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}

/// <summary>The same serve with its store in a database of the shared PostgreSQL cluster.</summary>
public sealed class CorpusServeOnPostgres(PostgresCluster postgres) : CorpusServe(postgres);
