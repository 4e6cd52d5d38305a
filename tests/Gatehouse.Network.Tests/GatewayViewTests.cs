using System.Security.Cryptography.Pkcs;
using System.Text.Json.Nodes;

namespace Gatehouse.Network.Tests;

public sealed class GatewayViewTests
{
    private static JsonObject RenderGateway(string apiVersion)
    {
        var gateway = ReferenceDeployment.Provision()[ReferenceDeployment.GatewayId];
        return NetworkProvider.Render(gateway, apiVersion);
    }

    [Fact]
    public void Ssl_profile_reads_back_exactly_as_the_quickstart_shows_it()
    {
        var profile = RenderGateway("2025-03-01")["properties"]!["sslProfiles"]!.AsArray().Single()!.AsObject();
        var gatewayId = ReferenceDeployment.GatewayId;

        Assert.Equal(["name", "id", "etag", "properties"], profile.Select(p => p.Key));
        Assert.Equal("sslnotrustedcert", (string?)profile["name"]);
        Assert.Equal($"{gatewayId}/sslProfiles/sslnotrustedcert", (string?)profile["id"]);
        Assert.Matches("^W/\"[0-9a-f-]{36}\"$", (string?)profile["etag"]);
        var expected = JsonNode.Parse($$"""
            {
              "provisioningState": "Succeeded",
              "clientAuthConfiguration": {
                "verifyClientCertIssuerDN": false,
                "verifyClientRevocation": "None",
                "verifyClientAuthMode": "Passthrough"
              },
              "httpListeners": [ { "id": "{{gatewayId}}/httpListeners/listener2" } ]
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, profile["properties"]), profile["properties"]!.ToJsonString());
    }

    [Fact]
    public void Pascal_case_input_reads_back_in_camel_case()
    {
        var properties = RenderGateway("2025-03-01")["properties"]!;
        Assert.Equal(444, (int)properties["frontendPorts"]![0]!["properties"]!["port"]!);
        Assert.Equal("headerappgw-hsa5gjh8fpfebcfd.westus-01.azurewebsites.net",
            (string?)properties["backendAddressPools"]![0]!["properties"]!["backendAddresses"]![0]!["fqdn"]);
        Assert.Equal("Basic", (string?)properties["requestRoutingRules"]![0]!["properties"]!["ruleType"]);
        Assert.Equal($"{ReferenceDeployment.GatewayId}/frontendPorts/port2",
            (string?)properties["httpListeners"]![0]!["properties"]!["frontendPort"]!["id"]);
        Assert.DoesNotContain("\"Port\"", properties.ToJsonString());
    }

    [Fact]
    public void Certificates_return_public_data_and_never_the_pfx_or_password()
    {
        var gateway = RenderGateway("2025-03-01");
        var certificate = gateway["properties"]!["sslCertificates"]![0]!["properties"]!.AsObject();

        Assert.False(certificate.ContainsKey("data"));
        Assert.False(certificate.ContainsKey("password"));
        var json = gateway.ToJsonString();
        Assert.DoesNotContain(ReferenceDeployment.Password, json);
        Assert.DoesNotContain(Convert.ToBase64String(ReferenceDeployment.Pfx)[..40], json);

        var cms = new SignedCms();
        cms.Decode(Convert.FromBase64String((string)certificate["publicCertData"]!));
        Assert.Equal("CN=gateway.test", cms.Certificates.Single().Subject);
        Assert.False(cms.Certificates.Single().HasPrivateKey);
    }

    [Fact]
    public void Client_auth_mode_is_not_shown_to_api_versions_that_predate_it()
    {
        var clientAuth = RenderGateway("2024-07-01")["properties"]!["sslProfiles"]![0]!["properties"]!["clientAuthConfiguration"]!.AsObject();
        Assert.False(clientAuth.ContainsKey("verifyClientAuthMode"));
        Assert.Equal("None", (string?)clientAuth["verifyClientRevocation"]);
    }

    [Fact]
    public void Gateway_envelope_has_read_only_state_and_every_collection()
    {
        var gateway = RenderGateway("2025-03-01");
        var properties = gateway["properties"]!.AsObject();
        Assert.Equal("Microsoft.Network/applicationGateways", (string?)gateway["type"]);
        Assert.Equal("local", (string?)gateway["location"]);
        Assert.Equal("provisioningState", properties.First().Key);
        Assert.Equal("Running", (string?)properties["operationalState"]);
        Assert.Equal("AppGwSslPolicy20220101", (string?)properties["defaultPredefinedSslPolicy"]);
        Assert.Empty(properties["rewriteRuleSets"]!.AsArray());
        Assert.Empty(properties["trustedClientCertificates"]!.AsArray());
    }

    [Fact]
    public void The_typed_view_carries_what_the_data_plane_serves()
    {
        var gateway = NetworkProvider.ReadApplicationGateway(ReferenceDeployment.Provision()[ReferenceDeployment.GatewayId]);
        var listener = Assert.Single(gateway.HttpListeners);
        var profile = Assert.Single(gateway.SslProfiles);

        Assert.Equal(ApplicationGateways.ClientAuthMode.Passthrough, profile.ClientAuthConfiguration!.VerifyClientAuthMode);
        Assert.Equal(profile.Id, listener.SslProfileId, ResourceIds.Comparer);
        Assert.Equal(ApplicationGateways.ListenerProtocol.Https, listener.Protocol);
        Assert.Equal(444, gateway.FrontendPorts.Single().Port);
        Assert.Equal(2000, gateway.RequestRoutingRules.Single().Priority);
        Assert.Equal(20, gateway.BackendHttpSettingsCollection.Single().RequestTimeoutSeconds);
        Assert.Equal(ReferenceDeployment.Pfx, gateway.SslCertificates.Single().Pfx.ToArray());
    }
}
