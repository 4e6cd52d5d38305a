using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Errors;

namespace Gatehouse.Network.Tests;

public sealed class GatewayValidationTests
{
    private static ArmError Reject(Action<JsonObject> edit, Func<string, ProvisionedResource?>? lookup = null) =>
        Assert.Throws<ArmException>(() => NetworkProvider.Provision(ReferenceDeployment.GatewayInput(edit), lookup ?? ReferenceDeployment.Neighbours())).Error;

    private static JsonObject Properties(JsonObject gateway) => gateway["properties"]!.AsObject();

    private static JsonObject Certificate(JsonObject gateway) => Properties(gateway)["sslCertificates"]![0]!["properties"]!.AsObject();

    [Fact]
    public void A_wrong_certificate_password_is_named_without_revealing_it()
    {
        var error = Reject(g => Certificate(g)["password"] = "not-the-password");
        Assert.Equal("ApplicationGatewaySslCertificateInvalidPassword", error.Code);
        Assert.Contains("/sslCertificates/sslCert", error.Message);
        Assert.Equal("properties.sslCertificates[0].properties.data", error.Target);
        Assert.DoesNotContain("not-the-password", error.ToJson().ToJsonString());
    }

    [Fact]
    public void Corrupt_base64_certificate_data_is_rejected()
    {
        var error = Reject(g => Certificate(g)["data"] = "this is %% not base64");
        Assert.Equal("ApplicationGatewaySslCertificateInvalidData", error.Code);
        Assert.Contains("base64", error.Message);
    }

    [Fact]
    public void Base64_that_is_not_a_pfx_is_rejected()
    {
        var error = Reject(g => Certificate(g)["data"] = Convert.ToBase64String("hello, not a pfx"u8.ToArray()));
        Assert.Equal("ApplicationGatewaySslCertificateInvalidData", error.Code);
    }

    [Fact]
    public void A_misspelt_client_auth_mode_is_rejected_rather_than_guessed()
    {
        var error = Reject(g => Properties(g)["sslProfiles"]![0]!["properties"]!["clientAuthConfiguration"]!["VerifyClientAuthMode"] = "Passthru");
        Assert.Equal("InvalidRequestFormat", error.Code);
        Assert.Contains("Strict, Passthrough", error.Message);
    }

    [Fact]
    public void Case_of_enumeration_values_does_not_matter()
    {
        var gateway = NetworkProvider.Provision(
            ReferenceDeployment.GatewayInput(g => Properties(g)["sslProfiles"]![0]!["properties"]!["clientAuthConfiguration"]!["VerifyClientAuthMode"] = "passthrough"),
            ReferenceDeployment.Neighbours());
        Assert.Equal("Passthrough", (string?)NetworkProvider.Render(gateway, "2025-03-01")["properties"]!["sslProfiles"]![0]!["properties"]!["clientAuthConfiguration"]!["verifyClientAuthMode"]);
    }

    [Fact]
    public void A_rule_without_priority_is_rejected_with_azures_code()
    {
        var error = Reject(g => Properties(g)["requestRoutingRules"]![0]!["properties"]!.AsObject().Remove("priority"));
        Assert.Equal("ApplicationGatewayRequestRoutingRulePriorityCannotBeEmpty", error.Code);
    }

    [Fact]
    public void A_reference_to_a_missing_sub_resource_is_rejected()
    {
        var error = Reject(g => Properties(g)["httpListeners"]![0]!["properties"]!["FrontendPort"]!["Id"] = ReferenceDeployment.GatewayId + "/frontendPorts/nope");
        Assert.Equal("InvalidResourceReference", error.Code);
        Assert.Contains("/frontendPorts/nope", error.Message);
    }

    [Fact]
    public void A_gateway_whose_subnet_does_not_exist_is_rejected()
    {
        var error = Reject(_ => { }, lookup: _ => null);
        var subnet = Assert.Single(error.Details!, d => d.Target == "properties.gatewayIPConfigurations[0].properties.subnet.id");
        Assert.Equal("InvalidResourceReference", subnet.Code);
        Assert.Contains("/subnets/appgwsubnet", subnet.Message);
    }

    [Fact]
    public void A_public_ip_given_by_name_instead_of_id_is_rejected_with_its_path()
    {
        var error = Reject(g => Properties(g)["frontendIPConfigurations"]![0]!["properties"]!["PublicIPAddress"]!["id"] = "appGwPublicIP");
        Assert.Equal("LinkedInvalidPropertyId", error.Code);
        Assert.Contains("'appGwPublicIP' at path 'properties.frontendIPConfigurations[0].properties.publicIPAddress.id'", error.Message);
        Assert.Equal("properties.frontendIPConfigurations[0].properties.publicIPAddress.id", error.Target);
    }

    [Fact]
    public void A_v2_gateway_needs_capacity_or_autoscale()
    {
        var error = Reject(g => Properties(g)["sku"]!.AsObject().Remove("capacity"));
        Assert.Equal("ApplicationGatewayV2SkuMustSpecifyEitherCapacityOrAutoscaleConfiguration", error.Code);
    }

    [Fact]
    public void Strict_client_authentication_without_a_trusted_client_ca_is_rejected()
    {
        var error = Reject(g => Properties(g)["sslProfiles"]![0]!["properties"]!["clientAuthConfiguration"]!["VerifyClientAuthMode"] = "Strict");
        Assert.Equal("ApplicationGatewaySslProfileStrictModeRequiresTrustedClientCertificates", error.Code);
        Assert.Contains("/sslProfiles/sslnotrustedcert", error.Message);
        Assert.Equal("properties.sslProfiles[0].properties.clientAuthConfiguration.verifyClientAuthMode", error.Target);
    }
}
