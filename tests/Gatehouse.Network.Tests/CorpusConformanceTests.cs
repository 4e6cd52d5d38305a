namespace Gatehouse.Network.Tests;

/// <summary>
/// Every gateway template of the corpus provisions with all its neighbours, or fails with the documented code.
/// Templates the template engine cannot expand yet are recorded with the reason; once it can, they must provision.
/// </summary>
public sealed class CorpusConformanceTests
{
    private const string Ok = "ok";

    // file -> expected outcome: "ok", "provision TYPE: CODE" (a documented rejection), or "expand: ..." (engine not there yet).
    private static readonly Dictionary<string, string> Expected = new()
    {
        // TLS 1.0/1.1 were retired on 31 August 2025 (appgw-behaviour §4.4): Azure refuses these policies today.
        ["qs-application-gateway-sslpolicy-custom/azuredeploy.json"] = "provision Microsoft.Network/applicationGateways: ApplicationGatewayDeprecatedTlsVersionUsedInSslPolicy",
        ["qs-application-gateway-sslpolicy-predefined/azuredeploy.json"] = "provision Microsoft.Network/applicationGateways: ApplicationGatewayDeprecatedTlsVersionUsedInSslPolicy",
        // A linked template: its subnet comes from the parent template, so on its own the reference does not resolve.
        ["fork2021-parameterized-linked-templates/paramappgateway.json"] = "provision Microsoft.Network/applicationGateways: InvalidResourceReference",

        // The template engine cannot expand these yet (the reason is in the message the test prints).
        ["avm-res-network-application-gateway/main.json"] = "expand: InvalidTemplate: Variable copy loops",
        ["bicep-repo-samples/autoscale-main.symbolicnames.json"] = "expand: InvalidTemplate: Templates with symbolic resource names",
        ["fork2021-aci-wordpress-vnet/azuredeploy.json"] = "expand: InvalidTemplate: The template language expression '[listKeys",
        ["fork2021-application-gateway-demo-setup/azuredeploy.json"] = "expand: InvalidTemplate: The template language expression '[concat(variables('backendDnsPrefix'), uniqueString(reference",
        ["fork2021-application-gateway-webapp-iprestriction/azuredeploy.json"] = "expand: InvalidTemplate: The template language expression '[reference",
        ["fork2021-e-shop-website-with-ilb-ase/azuredeploy.json"] = "expand: InvalidTemplate: Nested child resources",
        ["fork2021-lansa-vmss-windows-autoscale-sql-database/azuredeploy.json"] = "expand: InvalidTemplate: The template language expression '[concat('powershell",
        ["fork2021-multi-tier-loadbalancing/azuredeploy.json"] = "expand: InvalidTemplate: The template language expression '[concat(variables('region-vnet-name'), copyIndex('defaultSubnet')",
        ["fork2021-sas-viya/azuredeploy.json"] = "expand: InvalidTemplate: The template language expression '[json(concat(split(reference",
        ["fork2021-sql-injection-attack-prevention/applicationgateways.json"] = "expand: InvalidTemplate: Nested child resources",
        ["fork2021-traffic-manager-application-gateway-demo-setup/azuredeployappgw.json"] = "expand: InvalidTemplate: The template language expression '[concat(variables('backendDnsPrefix'), uniqueString(reference",
        ["fork2021-web-app-with-app-gateway-v2/azuredeploy.json"] = "expand: InvalidTemplate: The template language expression '[reference",
        ["fork2021-xss-attack-prevention/applicationgateway.json"] = "expand: InvalidTemplate: Nested child resources",
        ["qs-application-gateway-2vms-iis-ssl/azuredeploy.json"] = "expand: InvalidTemplate: The template language expression '[deployment().properties.templatelink.uri]'",
        ["qs-application-gateway-key-vault-create/azuredeploy.json"] = "expand: InvalidTemplate: The template language expression '[reference",
        ["qs-application-gateway-waf-firewall-policy/azuredeploy.local-bicep-0.49.2.json"] = "expand: InvalidTemplate: The template language expression '[parameters('frontEndPorts')[copyIndex('frontendPorts')]",
    };

    public static TheoryData<string> Templates() => new(CorpusTemplate.GatewayTemplates());

    [Fact]
    public void The_corpus_has_its_forty_gateway_templates()
    {
        Assert.Equal(40, CorpusTemplate.GatewayTemplates().Count());
        Assert.All(Expected.Keys, file => Assert.Contains(file, CorpusTemplate.GatewayTemplates()));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void The_template_provisions_or_fails_as_documented(string file)
    {
        var outcome = CorpusTemplate.Deploy(file);
        var expected = Expected.GetValueOrDefault(file, Ok);
        if (expected.StartsWith("expand:") && !outcome.StartsWith("expand:"))
            expected = Ok; // the engine has learnt to expand it: now it must provision
        Assert.True(outcome.StartsWith(expected, StringComparison.Ordinal), $"{file}: {outcome}");
    }
}
