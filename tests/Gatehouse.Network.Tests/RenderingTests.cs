using System.Text.Json.Nodes;

namespace Gatehouse.Network.Tests;

/// <summary>How a stored gateway reads back: back-references, api-version rules, and a GET body PUT back.</summary>
public sealed class RenderingTests
{
    private static JsonObject Properties(JsonObject gateway) => gateway["properties"]!.AsObject();

    private static JsonObject Element(JsonObject gateway, string collection, string name) =>
        Properties(gateway)[collection]!.AsArray().Select(i => i!.AsObject()).Single(i => (string?)i["name"] == name);

    private static string Id(string collection, string name) => $"{RestExample.GatewayId}/{collection}/{name}";

    private static JsonObject WithProbeAndRedirect() => NetworkProvider.Render(RestExample.Provision(body =>
    {
        var properties = Properties(body);
        properties["probes"] = JsonNode.Parse("""[ { "name": "probe1", "properties": { "protocol": "Http", "host": "127.0.0.1", "path": "/" } } ]""");
        properties["backendHttpSettingsCollection"]![0]!["properties"]!["probe"] = new JsonObject { ["id"] = Id("probes", "probe1") };
        properties["redirectConfigurations"] = JsonNode.Parse($$"""
            [ { "name": "toHttps", "properties": { "redirectType": "Permanent", "targetListener": { "id": "{{Id("httpListeners", "appgwhl")}}" } } } ]
            """);
        properties["requestRoutingRules"]!.AsArray().Add(JsonNode.Parse($$"""
            { "name": "redirect", "properties": { "ruleType": "Basic", "priority": 30,
              "httpListener": { "id": "{{Id("httpListeners", "appgwhttplistener")}}" },
              "redirectConfiguration": { "id": "{{Id("redirectConfigurations", "toHttps")}}" } } }
            """));
    }), RestExample.ApiVersion);

    [Fact]
    public void A_probe_lists_the_backend_settings_that_use_it_and_a_redirect_its_rules()
    {
        var gateway = WithProbeAndRedirect();
        Assert.Equal(Id("backendHttpSettingsCollection", "appgwbhs"),
            (string?)Element(gateway, "probes", "probe1")["properties"]!["backendHttpSettings"]![0]!["id"]);
        Assert.Equal(Id("requestRoutingRules", "redirect"),
            (string?)Element(gateway, "redirectConfigurations", "toHttps")["properties"]!["requestRoutingRules"]![0]!["id"]);
        Assert.Equal(Id("requestRoutingRules", "appgwrule"),
            (string?)Element(gateway, "httpListeners", "appgwhl")["properties"]!["requestRoutingRules"]![0]!["id"]);
    }

    [Fact]
    public void A_get_body_put_back_without_a_listener_drops_the_stale_back_references_and_keeps_the_certificate()
    {
        var stored = RestExample.Provision();
        var body = NetworkProvider.Render(stored, RestExample.ApiVersion);
        Properties(body)["httpListeners"]!.AsArray().RemoveAt(1);

        var again = NetworkProvider.Provision(
            new ResourceInput(RestExample.GatewayId, NetworkProvider.ApplicationGatewayType, "appgw", RestExample.ApiVersion, body),
            id => id.Equals(RestExample.GatewayId, StringComparison.OrdinalIgnoreCase) ? stored : RestExample.Neighbours()(id));

        var rendered = NetworkProvider.Render(again, RestExample.ApiVersion);
        Assert.Null(Element(rendered, "frontendPorts", "appgwfp80")["properties"]!["httpListeners"]);
        Assert.Equal(ReferenceDeployment.Pfx, NetworkProvider.ReadApplicationGateway(again).SslCertificates[0].Pfx.ToArray());
        Assert.Equal((string?)Properties(NetworkProvider.Render(stored, RestExample.ApiVersion))["resourceGuid"], (string?)Properties(rendered)["resourceGuid"]);
    }

    [Theory]
    [InlineData("2020-05-01", false, false, false)]
    [InlineData("2021-08-01", true, false, false)]
    [InlineData("2022-05-01", true, true, false)]
    [InlineData("2023-02-01", true, true, true)]
    public void Properties_newer_than_the_requested_api_version_are_not_shown(string apiVersion, bool priority, bool revocation, bool defaultPolicy)
    {
        var gateway = NetworkProvider.Render(RestExample.Provision(body =>
            Properties(body)["sslProfiles"]![0]!["properties"]!["clientAuthConfiguration"]!["verifyClientRevocation"] = "OCSP"), apiVersion);
        Assert.Equal(priority, Element(gateway, "requestRoutingRules", "appgwrule")["properties"]!.AsObject().ContainsKey("priority"));
        Assert.Equal(revocation, Element(gateway, "sslProfiles", "sslProfile1")["properties"]!["clientAuthConfiguration"]!.AsObject().ContainsKey("verifyClientRevocation"));
        Assert.Equal(defaultPolicy, Properties(gateway).ContainsKey("defaultPredefinedSslPolicy"));
    }
}
