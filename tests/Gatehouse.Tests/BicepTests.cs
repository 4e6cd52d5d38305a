using System.Text.Json.Nodes;
using Gatehouse.Corpus;

namespace Gatehouse.Tests;

/// <summary>--template-file x.bicep and --parameters x.bicepparam compile through the Bicep CLI, then deploy as JSON does.</summary>
public sealed class BicepTests(CorpusServe serve) : IClassFixture<CorpusServe>
{
    private static readonly string AutoscaleBicep = Path.Combine(CorpusTemplates.Root, "bicep-repo-samples", "autoscale-main.bicep");

    [Fact]
    public Task A_corpus_bicep_template_deploys_with_a_bicepparam_file() => serve.InGroupAsync("rg-bicep", async group =>
    {
        var parameterFile = Path.Combine(serve.DataDirectory, "autoscale.bicepparam");
        // Bicep takes only a relative path after 'using'.
        var template = Path.GetRelativePath(serve.DataDirectory, AutoscaleBicep).Replace('\\', '/');
        await File.WriteAllTextAsync(parameterFile, $"using '{template}'\nparam applicationGatewayName = 'appgw-from-bicep'\nparam maxCapacity = 4\n");

        var created = await serve.GatehouseAsync("deployment", "group", "create", "-g", group, "--template-file", AutoscaleBicep, "--parameters", parameterFile);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("Succeeded", JsonNode.Parse(created.Stdout)!["properties"]!["provisioningState"]!.GetValue<string>());
        var shown = await serve.GatehouseAsync("network", "application-gateway", "show", "-g", group, "-n", "appgw-from-bicep");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Equal(4, JsonNode.Parse(shown.Stdout)!["properties"]!["autoscaleConfiguration"]!["maxCapacity"]!.GetValue<int>());
    });

    [Fact]
    public async Task A_bicep_error_is_reported_with_its_line_and_deploys_nothing()
    {
        var file = Path.Combine(serve.DataDirectory, "broken.bicep");
        await File.WriteAllTextAsync(file, "param name string\n\noutput n string = nme\n");

        var failed = await serve.GatehouseAsync("deployment", "group", "validate", "-g", "rg-none", "--template-file", file);

        Assert.Equal(1, failed.ExitCode);
        var error = JsonNode.Parse(failed.Stderr)!["error"]!;
        Assert.Equal("InvalidTemplate", error["code"]!.GetValue<string>());
        Assert.Contains("broken.bicep(3,", error["message"]!.GetValue<string>());
    }
}
