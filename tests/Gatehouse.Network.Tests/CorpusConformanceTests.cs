using Gatehouse.Corpus;

namespace Gatehouse.Network.Tests;

/// <summary>
/// Every gateway template of the corpus (<see cref="CorpusTemplates.Gateways"/>) expands and provisions with all its
/// neighbours (<see cref="CorpusDeployment"/>), or fails as Azure would, for the reason documented in <see cref="Failures"/>.
/// </summary>
public sealed class CorpusConformanceTests
{
    /// <summary>How a template fails: its outcome starts with <see cref="Start"/> (stage and code) and says <see cref="Says"/>.</summary>
    public sealed record Failure(string Start, string Says = "");

    /// <summary>Template → how it fails, with the reason it cannot deploy here either.</summary>
    public static readonly IReadOnlyDictionary<string, Failure> Failures = new Dictionary<string, Failure>
    {
        // The stored parameter file (a575b4f) is older than the template (132a10d) and sets a parameter the template no
        // longer declares; Azure refuses the pair with the same error.
        ["qs-application-gateway-create/azuredeploy.json"] = new("expand: InvalidTemplate: The template parameters 'applicationGatewaySize'"),
        // Storage, Redis and App Insights keys come from listKeys(), which needs a live resource provider.
        ["fork2021-aci-wordpress-vnet/azuredeploy.json"] = new("expand: InvalidTemplate:", "'listKeys': list* functions read secrets from a live resource provider and are not supported locally"),
        ["fork2021-e-shop-website-with-ilb-ase/azuredeploy.json"] = new("expand: InvalidTemplate:", "'listkeys': list* functions read secrets from a live resource provider and are not supported locally"),
        // Backends are outputs of linked templates (templateLink), which are not in the corpus and are not fetched.
        ["fork2021-application-gateway-demo-setup/azuredeploy.json"] = new("expand: InvalidTemplate:", "links its template through 'templateLink', which is not fetched locally"),
        ["fork2021-application-gateway-webapp-iprestriction/azuredeploy.json"] = new("expand: InvalidTemplate:", "links its template through 'templateLink', which is not fetched locally"),
        ["fork2021-sas-viya/azuredeploy.json"] = new("expand: InvalidTemplate:", "links its template through 'templateLink', which is not fetched locally"),
        ["fork2021-traffic-manager-application-gateway-demo-setup/azuredeployappgw.json"] = new("expand: InvalidTemplate:", "links its template through 'templateLink', which is not fetched locally"),
        // TLS 1.0/1.1 were retired on 31 August 2025 (appgw-behaviour §4.4): Azure refuses these policies today.
        ["qs-application-gateway-sslpolicy-custom/azuredeploy.json"] = new("provision Microsoft.Network/applicationGateways: ApplicationGatewayDeprecatedTlsVersionUsedInSslPolicy"),
        ["qs-application-gateway-sslpolicy-predefined/azuredeploy.json"] = new("provision Microsoft.Network/applicationGateways: ApplicationGatewayDeprecatedTlsVersionUsedInSslPolicy"),
        // Linked templates whose parent (not in the corpus) passes the subnet or public IP id: on their own the
        // subnet does not exist, and a generated parameter value is a name, not the id Azure requires.
        ["fork2021-parameterized-linked-templates/paramappgateway.json"] = new("provision Microsoft.Network/applicationGateways: InvalidResourceReference"),
        ["fork2021-sql-injection-attack-prevention/applicationgateways.json"] = new("provision Microsoft.Network/applicationGateways: LinkedInvalidPropertyId"),
        ["fork2021-xss-attack-prevention/applicationgateway.json"] = new("provision Microsoft.Network/applicationGateways: LinkedInvalidPropertyId"),
        // The certificate is a Key Vault secret, read through the gateway's managed identity: Key Vault is not reachable locally.
        ["qs-application-gateway-key-vault-create/azuredeploy.json"] = new("provision Microsoft.Network/applicationGateways: ApplicationGatewayKeyVaultSecretNotSupported"),
        // The subnet is a prerequisite (GET-PREREQ-*) in another resource group that the template does not create.
        ["qs-application-gateway-waf-firewall-policy/azuredeploy.local-bicep-0.49.2.json"] = new("provision Microsoft.Network/applicationGateways: InvalidResourceReference"),
    };

    public static TheoryData<string> Templates => new(CorpusTemplates.Gateways);

    [Fact]
    public void The_corpus_has_its_forty_gateway_templates()
    {
        Assert.Equal(40, CorpusTemplates.Gateways.Count);
        Assert.Subset(CorpusTemplates.Gateways.ToHashSet(), Failures.Keys.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void The_template_provisions_or_fails_as_documented(string template)
    {
        var outcome = CorpusDeployment.Outcome(template);

        var expected = Failures.GetValueOrDefault(template, new Failure("ok"));
        Assert.True(outcome.StartsWith(expected.Start, StringComparison.Ordinal) && outcome.Contains(expected.Says, StringComparison.Ordinal), $"{template}: {outcome}");
    }
}
