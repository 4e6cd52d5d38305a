using System.Text.Json.Nodes;

namespace Gatehouse.Tests;

/// <summary>
/// <c>gatehouse deployment group validate|what-if|create</c> on representative corpus templates, against a real serve:
/// what-if says Create before a deploy, NoChange after it, and Modify with the property delta for a changed parameter;
/// on each store (the classes below).
/// </summary>
public abstract class CorpusCommandTests(CorpusServe serve)
{
    public static TheoryData<string> Representative => new(
        "bicep-repo-samples/autoscale-main.json",
        "qs-application-gateway-waf/azuredeploy.json",
        "qs-application-gateway-rewrite/azuredeploy.json",
        "fork2021-application-gateway-v2-autoscale-create/azuredeploy.json");

    private static string[] ChangeTypes(Completed whatIf) =>
        JsonNode.Parse(whatIf.Stdout)!["properties"]!["changes"]!.AsArray().Select(c => c!["changeType"]!.GetValue<string>()).Distinct().Order().ToArray();

    [Theory]
    [MemberData(nameof(Representative))]
    public Task A_corpus_template_validates_and_what_if_shows_create_then_no_change(string template) =>
        serve.InGroupAsync("rg-" + template.Split('/')[0].Replace("qs-application-gateway-", "", StringComparison.Ordinal), async group =>
    {
        var (file, parameters) = CorpusServe.Corpus(template);

        var validated = await serve.TemplateCommandAsync("validate", group, file, parameters);
        Assert.True(validated.ExitCode == 0, validated.ToString());
        Assert.Equal("Succeeded", JsonNode.Parse(validated.Stdout)!["properties"]!["provisioningState"]!.GetValue<string>());

        var before = await serve.TemplateCommandAsync("what-if", group, file, parameters);
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Equal(["Create"], ChangeTypes(before));
        Assert.Equal(3, JsonNode.Parse(before.Stdout)!["properties"]!["changes"]!.AsArray().Count); // public IP, network, gateway

        var created = await serve.TemplateCommandAsync("create", group, file, parameters);
        Assert.True(created.ExitCode == 0, created.ToString());

        var after = await serve.TemplateCommandAsync("what-if", group, file, parameters);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal(["NoChange"], ChangeTypes(after));
    });

    [Fact]
    public Task The_quickstart_what_if_shows_the_changed_instance_count_as_a_modify_of_the_gateway() => serve.InGroupAsync("rg-quickstart", async group =>
    {
        // Its stored parameter file is older than the template (see the corpus conformance tests): deploy it with its defaults.
        var (file, parameters) = CorpusServe.Corpus("qs-application-gateway-create/azuredeploy.json", withParameterFile: false);
        var created = await serve.TemplateCommandAsync("create", group, file, parameters);
        Assert.True(created.ExitCode == 0, created.ToString());

        var changed = await serve.TemplateCommandAsync("what-if", group, file, parameters, "applicationGatewayInstanceCount=3");

        Assert.True(changed.ExitCode == 0, changed.ToString());
        var changes = JsonNode.Parse(changed.Stdout)!["properties"]!["changes"]!.AsArray();
        var gateway = changes.Single(c => c!["resourceId"]!.GetValue<string>().Contains("/applicationGateways/", StringComparison.Ordinal))!;
        Assert.Equal("Modify", gateway["changeType"]!.GetValue<string>());
        var delta = Assert.Single(gateway["delta"]!.AsArray())!;
        Assert.Equal("properties.sku.capacity", delta["path"]!.GetValue<string>());
        Assert.Equal(2, delta["before"]!.GetValue<int>());
        Assert.Equal(3, delta["after"]!.GetValue<int>());
        Assert.Equal(["Modify", "NoChange"], ChangeTypes(changed));
    });
}

public sealed class CorpusCommandTestsOnSqlite(CorpusServe serve) : CorpusCommandTests(serve), IClassFixture<CorpusServe>;

[Collection(PostgresCluster.Collection)]
public sealed class CorpusCommandTestsOnPostgres(CorpusServeOnPostgres serve) : CorpusCommandTests(serve), IClassFixture<CorpusServeOnPostgres>;
