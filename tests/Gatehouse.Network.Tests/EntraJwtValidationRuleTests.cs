using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Errors;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Network.Tests;

/// <summary>Entra JWT validation on the REST create example: where it may be configured and what it must name.</summary>
public sealed class EntraJwtValidationRuleTests
{
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string Client = "5a3c9b1e-1f6e-4c1e-9c7a-2f4b8d1e0a11";

    private static JsonObject P(JsonObject body) => body["properties"]!.AsObject();

    private static JsonObject Rule(JsonObject body, int index = 0) => P(body)["requestRoutingRules"]![index]!["properties"]!.AsObject();

    private static JsonObject Ref(string name) => new() { ["id"] = $"{RestExample.GatewayId}/entraJWTValidationConfigs/{name}" };

    /// <summary>One configuration, referenced by the example's rule on its HTTPS listener.</summary>
    private static void AddValidation(JsonObject body, JsonObject config)
    {
        P(body)["entraJWTValidationConfigs"] = new JsonArray(new JsonObject { ["name"] = "jwt1", ["properties"] = config });
        Rule(body)["entraJWTValidationConfig"] = Ref("jwt1");
    }

    private static JsonObject Config(string tenant = Tenant, string client = Client, string? action = "Allow", params string[] audiences)
    {
        var config = new JsonObject { ["tenantId"] = tenant, ["clientId"] = client, ["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]) };
        if (action is not null) config["unAuthorizedRequestAction"] = action;
        return config;
    }

    private static ResourceInput Input(Action<JsonObject> edit, string apiVersion = RestExample.ApiVersion) =>
        new(RestExample.GatewayId, NetworkProvider.ApplicationGatewayType, "appgw", apiVersion, RestExample.CreateBody(edit));

    private static ArmError Rejected(Action<JsonObject> edit, string apiVersion = RestExample.ApiVersion) =>
        Assert.Throws<ArmException>(() => NetworkProvider.Provision(Input(edit, apiVersion), RestExample.Neighbours())).Error;

    [Fact]
    public void A_configuration_is_read_with_its_rule_and_audiences_default_to_the_client_id_and_its_app_id_uri()
    {
        var gateway = NetworkProvider.ReadApplicationGateway(NetworkProvider.Provision(Input(b => AddValidation(b, Config(action: null))), RestExample.Neighbours()));

        var config = Assert.Single(gateway.EntraJwtValidationConfigs);
        Assert.Equal(Tenant, config.TenantId);
        Assert.Equal(UnAuthorizedRequestAction.Deny, config.UnAuthorizedRequestAction);
        Assert.Equal([Client, $"api://{Client}"], config.ValidAudiences);
        Assert.Equal(config.Id, gateway.RequestRoutingRules[0].EntraJwtValidationConfigId);
    }

    [Fact]
    public void Given_audiences_replace_the_defaults_and_multi_tenant_names_are_accepted()
    {
        var gateway = NetworkProvider.ReadApplicationGateway(NetworkProvider.Provision(
            Input(b => AddValidation(b, Config(tenant: "organizations", audiences: "https://api.contoso.com"))), RestExample.Neighbours()));

        Assert.Equal(["https://api.contoso.com"], gateway.EntraJwtValidationConfigs[0].ValidAudiences);
        Assert.Equal(UnAuthorizedRequestAction.Allow, gateway.EntraJwtValidationConfigs[0].UnAuthorizedRequestAction);
    }

    [Fact]
    public void An_api_version_before_2025_03_01_is_refused_by_name()
    {
        var error = Rejected(b => AddValidation(b, Config()), apiVersion: "2024-05-01");
        Assert.Equal("ApplicationGatewayEntraJWTValidationNotSupportedInApiVersion", error.Code);
        Assert.Contains("2025-03-01", error.Message);
    }

    [Fact]
    public void A_sku_outside_the_v2_tiers_is_refused()
    {
        var error = Rejected(b =>
        {
            AddValidation(b, Config());
            P(b)["sku"] = new JsonObject { ["name"] = "Basic", ["tier"] = "Basic", ["capacity"] = 2 };
        });
        var detail = Assert.Single(error.Details ?? [error], d => d.Code == "ApplicationGatewayEntraJWTValidationRequiresV2Sku");
        Assert.Contains("Basic", detail.Message);
    }

    [Fact]
    public void A_rule_on_an_http_listener_is_refused_with_its_path()
    {
        var error = Rejected(b =>
        {
            AddValidation(b, Config());
            Rule(b)["httpListener"] = new JsonObject { ["id"] = $"{RestExample.GatewayId}/httpListeners/appgwhttplistener" };
        });
        Assert.Equal("ApplicationGatewayEntraJWTValidationRequiresHttpsListener", error.Code);
        Assert.Equal("properties.requestRoutingRules[0].properties.entraJWTValidationConfig", error.Target);
        Assert.Contains("appgwhttplistener", error.Message);
    }

    [Fact]
    public void A_reference_to_a_configuration_that_does_not_exist_is_refused()
    {
        var error = Rejected(b =>
        {
            AddValidation(b, Config());
            Rule(b)["entraJWTValidationConfig"] = Ref("nope");
        });
        Assert.Equal("InvalidResourceReference", error.Code);
        Assert.Contains("/entraJWTValidationConfigs/nope", error.Message);
    }

    [Fact]
    public void Every_bad_setting_of_a_configuration_is_listed_at_once()
    {
        var error = Rejected(b => AddValidation(b, Config(tenant: "contoso", client: "not-a-guid", audiences: ["a", "b", "c", "d", "e", "f"])));

        Assert.Equal(
            ["ApplicationGatewayEntraJWTValidationConfigInvalidClientId", "ApplicationGatewayEntraJWTValidationConfigInvalidTenantId", "ApplicationGatewayEntraJWTValidationConfigTooManyAudiences"],
            error.Details!.Select(d => d.Code).Order());
        Assert.Contains(error.Details!, d => d.Target == "properties.entraJWTValidationConfigs[0].properties.tenantId");
    }
}
