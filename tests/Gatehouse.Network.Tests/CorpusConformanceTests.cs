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
        // Backends (and sas-viya's certificates) are outputs of linked templates, which are not in the corpus: expanded
        // with those values deferred, so not provisioned (a deployment fetches the linked templates).
        ["fork2021-application-gateway-demo-setup/azuredeploy.json"] = new("deferred: 2 value(s)"),
        ["fork2021-application-gateway-webapp-iprestriction/azuredeploy.json"] = new("deferred: 1 value(s)"),
        ["fork2021-sas-viya/azuredeploy.json"] = new("deferred: 3 value(s)"),
        ["fork2021-traffic-manager-application-gateway-demo-setup/azuredeployappgw.json"] = new("deferred: 2 value(s)"),
        // TLS 1.0/1.1 were retired on 31 August 2025 (appgw-behaviour §4.4): Azure refuses these policies today.
        ["qs-application-gateway-sslpolicy-custom/azuredeploy.json"] = new("provision Microsoft.Network/applicationGateways: ApplicationGatewayDeprecatedTlsVersionUsedInSslPolicy"),
        ["qs-application-gateway-sslpolicy-predefined/azuredeploy.json"] = new("provision Microsoft.Network/applicationGateways: ApplicationGatewayDeprecatedTlsVersionUsedInSslPolicy"),
        // Linked templates whose parent (not in the corpus) passes the subnet or public IP id: on their own the
        // subnet does not exist, and a generated parameter value is a name, not the id Azure requires.
        ["fork2021-parameterized-linked-templates/paramappgateway.json"] = new("provision Microsoft.Network/applicationGateways: MultipleErrorsOccurred",
            "[properties.gatewayIPConfigurations[0].properties.subnet.id: InvalidResourceReference: "),
        ["fork2021-sql-injection-attack-prevention/applicationgateways.json"] = new("provision Microsoft.Network/applicationGateways: LinkedInvalidPropertyId"),
        ["fork2021-xss-attack-prevention/applicationgateway.json"] = new("provision Microsoft.Network/applicationGateways: LinkedInvalidPropertyId"),
        // End-to-end TLS the v1 way: authentication certificates allow-list the backends' certificates. Azure retired v1;
        // a v2 gateway trusts backends through trustedRootCertificates, so the allow-list is refused rather than ignored.
        ["qs-application-gateway-2vms-iis-ssl/azuredeploy.json"] = new("provision Microsoft.Network/applicationGateways: MultipleErrorsOccurred",
            "[properties.authenticationCertificates: ApplicationGatewayPropertyNotSupportedLocally: "),
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

    /// <summary>
    /// The templates validate (and what-if, the same preflight) refuses, with the error create gives (<see cref="Failures"/>),
    /// as Azure's preflight refuses a resource whose values are all known before deployment. Every other template
    /// validates: the linked-output ones and the Key Vault one hold values known only at deployment in their gateway
    /// (a linked deployment's outputs, the identity's principal), which preflight defers as Azure's does.
    /// </summary>
    public static readonly IReadOnlySet<string> RefusedByValidate = new HashSet<string>
    {
        "qs-application-gateway-sslpolicy-custom/azuredeploy.json",
        "qs-application-gateway-sslpolicy-predefined/azuredeploy.json",
        "fork2021-parameterized-linked-templates/paramappgateway.json",
        "fork2021-sql-injection-attack-prevention/applicationgateways.json",
        "fork2021-xss-attack-prevention/applicationgateway.json",
        "qs-application-gateway-waf-firewall-policy/azuredeploy.local-bicep-0.49.2.json",
        "qs-application-gateway-2vms-iis-ssl/azuredeploy.json",
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public void The_template_validates_or_is_refused_as_Azure_refuses_it(string template)
    {
        var outcome = CorpusDeployment.Validate(template);

        var expected = RefusedByValidate.Contains(template) ? Failures[template] : new Failure("ok");
        Assert.True(outcome.StartsWith(expected.Start, StringComparison.Ordinal) && outcome.Contains(expected.Says, StringComparison.Ordinal), $"{template}: {outcome}");
    }
}
