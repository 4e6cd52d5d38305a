using Gatehouse.Corpus;

namespace Gatehouse.Arm.Tests;

/// <summary>
/// Every public template in ../shared/corpus expands: with its parameter file, CI placeholders replaced and required
/// parameters generated (see <see cref="CorpusTemplates"/>). Each contains an Application Gateway, which must come out.
/// The few that cannot expand locally fail with the reason documented in <see cref="ExpectedFailures"/>.
/// </summary>
public sealed class CorpusConformanceTests
{
    /// <summary>Template → a part of the error it must fail with, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> ExpectedFailures = new Dictionary<string, string>
    {
        // Not valid JSON (INDEX.md); the missing comma ends line 106, the parser meets the next property on line 107.
        [CorpusTemplates.KnownBroken] = "line 107",
        // The stored parameter file (a575b4f) is older than the template (132a10d) and sets a parameter it no longer
        // declares; Azure refuses the pair with the same error.
        ["qs-application-gateway-create/azuredeploy.json"] = "The template parameters 'applicationGatewaySize' in the parameters file are not valid",
        // Storage and Redis keys come from listKeys(), which needs a live resource provider.
        ["fork2021-aci-wordpress-vnet/azuredeploy.json"] = "not supported locally",
        ["fork2021-e-shop-website-with-ilb-ase/azuredeploy.json"] = "not supported locally",
        // Backends are outputs of linked templates (templateLink), which are not in the corpus and are not fetched.
        ["fork2021-application-gateway-demo-setup/azuredeploy.json"] = "not fetched locally",
        ["fork2021-application-gateway-webapp-iprestriction/azuredeploy.json"] = "not fetched locally",
        ["fork2021-sas-viya/azuredeploy.json"] = "not fetched locally",
        ["fork2021-traffic-manager-application-gateway-demo-setup/azuredeployappgw.json"] = "not fetched locally",
    };

    public static TheoryData<string> Expanding => new(CorpusTemplates.All.Where(t => !ExpectedFailures.ContainsKey(t)));

    public static TheoryData<string> Failing => new(ExpectedFailures.Keys);

    [Theory]
    [MemberData(nameof(Expanding))]
    public void Template_expands_with_its_application_gateway(string template)
    {
        var expanded = CorpusTemplates.Expand(template);

        Assert.Contains(expanded.Resources, r => string.Equals(r.Type, "Microsoft.Network/applicationGateways", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Failing))]
    public void Template_fails_with_its_documented_reason(string template)
    {
        var error = Assert.Throws<ArmException>(() => CorpusTemplates.Expand(template)).Error;

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Contains(ExpectedFailures[template], error.Message);
    }

    [Fact]
    public void Corpus_holds_the_forty_templates_of_its_index_and_the_broken_revision()
    {
        Assert.Equal(41, CorpusTemplates.All.Count);
        Assert.Subset(CorpusTemplates.All.ToHashSet(), ExpectedFailures.Keys.ToHashSet());
    }
}
