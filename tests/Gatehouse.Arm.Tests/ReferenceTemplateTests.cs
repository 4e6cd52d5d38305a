using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.Json;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Tests;

/// <summary>The mTLS passthrough reference template from the Azure docs expands exactly.</summary>
public sealed class ReferenceTemplateTests
{
    private const string Folder = "docs-mtls-passthrough-arm";

    private static ExpandedTemplate ExpandWithRealValues()
    {
        var template = TestTemplates.Parse(TestTemplates.CorpusFile($"{Folder}/deploymentTemplate.json"));
        var parameters = ParameterArguments.Merge(template,
            [TestTemplates.CorpusFile($"{Folder}/deploymentParameters.json"), "certData=QUJD", "certPassword=pw", "adminSSHKey=ssh-rsa AAA"]);
        return TemplateExpander.Expand(template, parameters, TestTemplates.Scope);
    }

    private static string Id(string type, string name) => $"{TestTemplates.ResourceGroupId}/providers/{type}/{name}";

    private static readonly string GatewayId = Id("Microsoft.Network/applicationGateways", "mtlsAppGw");

    private static JsonNode Gateway => ExpandWithRealValues().Resources[2].Body;

    [Fact]
    public void Expands_to_vnet_public_ip_and_gateway_in_dependency_order()
    {
        var resources = ExpandWithRealValues().Resources;

        Assert.Equal(
            [Id("Microsoft.Network/virtualNetworks", "mtlsVnet"), Id("Microsoft.Network/publicIPAddresses", "mtlsPip"), GatewayId],
            resources.Select(r => r.Id));
        Assert.Equal(["Microsoft.Network/virtualNetworks", "Microsoft.Network/publicIPAddresses", "Microsoft.Network/applicationGateways"], resources.Select(r => r.Type));
        Assert.Equal(["mtlsVnet", "mtlsPip", "mtlsAppGw"], resources.Select(r => r.Name));
    }

    [Fact]
    public void Gateway_api_version_comes_from_a_variable()
    {
        Assert.Equal("2025-03-01", ExpandWithRealValues().Resources[2].ApiVersion);
        Assert.Equal("2024-07-01", ExpandWithRealValues().Resources[0].ApiVersion);
    }

    [Fact]
    public void Gateway_depends_on_the_resolved_ids_of_vnet_and_public_ip()
    {
        var gateway = ExpandWithRealValues().Resources[2];

        Assert.Equal([Id("Microsoft.Network/virtualNetworks", "mtlsVnet"), Id("Microsoft.Network/publicIPAddresses", "mtlsPip")], gateway.DependsOn);
    }

    [Fact]
    public void Listener_frontend_port_id_is_under_the_gateway_id()
    {
        var listener = Gateway["properties"]!["httpListeners"]![0]!["properties"]!;

        Assert.Equal($"{GatewayId}/frontendPorts/port2", listener["FrontendPort"]!["Id"]!.GetValue<string>());
        Assert.Equal($"{GatewayId}/sslProfiles/sslnotrustedcert", listener["sslProfile"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void Ssl_profile_id_built_with_a_double_space_in_the_resourceId_call_is_right()
    {
        Assert.Equal($"{GatewayId}/sslProfiles/sslnotrustedcert", Gateway["properties"]!["sslProfiles"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void Ssl_certificate_takes_the_supplied_values()
    {
        var certificate = Gateway["properties"]!["sslCertificates"]![0]!["properties"]!;

        Assert.Equal("QUJD", certificate["data"]!.GetValue<string>());
        Assert.Equal("pw", certificate["password"]!.GetValue<string>());
    }

    [Fact]
    public void Every_resource_is_in_the_scope_location()
    {
        Assert.All(ExpandWithRealValues().Resources, r => Assert.Equal(TestTemplates.Scope.Location, r.Body["location"]!.GetValue<string>()));
    }

    [Fact]
    public void Subnet_reference_and_literal_values_keep_their_json_types()
    {
        var properties = Gateway["properties"]!;

        Assert.Equal($"{Id("Microsoft.Network/virtualNetworks", "mtlsVnet")}/subnets/appgwsubnet",
            properties["gatewayIPConfigurations"]![0]!["properties"]!["subnet"]!["id"]!.GetValue<string>());
        Assert.Equal(3, properties["sku"]!["capacity"]!.GetValue<int>());
        Assert.False(properties["sslProfiles"]![0]!["properties"]!["clientAuthConfiguration"]!["VerifyClientCertIssuerDN"]!.GetValue<bool>());
    }

    [Fact]
    public void Body_leaves_out_template_only_keys_and_keeps_the_rest()
    {
        var body = ExpandWithRealValues().Resources[1].Body;

        Assert.Equal(["sku", "location", "properties"], body.Select(p => p.Key));
    }

    [Fact]
    public void Bound_parameters_report_canonical_types_and_secrecy()
    {
        var parameters = ExpandWithRealValues().Parameters.ToDictionary(p => p.Name);

        Assert.Equal(("int", false, 2), (parameters["capacity"].Type, parameters["capacity"].IsSecure, parameters["capacity"].Value!.GetValue<int>()));
        Assert.Equal(("securestring", true), (parameters["certPassword"].Type, parameters["certPassword"].IsSecure));
        Assert.Equal(("securestring", true), (parameters["adminSSHKey"].Type, parameters["adminSSHKey"].IsSecure));
        Assert.Equal(("string", "ubuntu"), (parameters["adminUsername"].Type, parameters["adminUsername"].Value!.GetValue<string>()));
    }

    [Fact]
    public void Unmodified_parameter_file_fails_naming_every_placeholder_without_showing_secure_values()
    {
        var template = TestTemplates.Parse(TestTemplates.CorpusFile($"{Folder}/deploymentTemplate.json"));
        var parameters = ParameterArguments.Merge(template, [TestTemplates.CorpusFile($"{Folder}/deploymentParameters.json")]);

        var error = Assert.Throws<ArmException>(() => TemplateExpander.Expand(template, parameters, TestTemplates.Scope)).Error;

        Assert.Equal("InvalidParameter", error.Code);
        Assert.Equal(["parameters.adminSSHKey", "parameters.certData", "parameters.certPassword"], error.Details!.Select(d => d.Target));
        Assert.All(error.Details!, d => Assert.Equal("InvalidParameter", d.Code));
        Assert.All(["adminSSHKey", "certData", "certPassword"], name => Assert.Contains(name, error.Message));
        var json = error.ToResponse().ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.DoesNotContain("your-ssh-public-key", json);
        Assert.DoesNotContain("certificate-password", json);
        Assert.Contains("<Base64-encoded-PFX-data>", json);
    }
}
