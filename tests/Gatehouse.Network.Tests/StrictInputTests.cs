using System.Text.Json.Nodes;
using Gatehouse.Errors;

namespace Gatehouse.Network.Tests;

/// <summary>
/// What a gateway is given is read strictly: an enumeration value the specification does not know, a protocol not
/// served here, or a backend address that is not a host is refused with its property path, never read as a default.
/// </summary>
public sealed class StrictInputTests
{
    private static JsonObject Item(JsonObject body, string collection, int index = 0) => body["properties"]![collection]![index]!["properties"]!.AsObject();

    private static ArmError Rejected(Action<JsonObject> edit)
    {
        var input = new ResourceInput(RestExample.GatewayId, NetworkProvider.ApplicationGatewayType, "appgw", RestExample.ApiVersion, RestExample.CreateBody(edit));
        return Assert.Throws<ArmException>(() => NetworkProvider.Provision(input, RestExample.Neighbours())).Error;
    }

    [Theory]
    [InlineData("properties.sku.tier", "Standard_v3")]
    [InlineData("properties.httpListeners[1].properties.protocol", "Htp")]
    [InlineData("properties.backendHttpSettingsCollection[0].properties.cookieBasedAffinity", "On")]
    [InlineData("properties.sslProfiles[0].properties.sslPolicy.disabledSslProtocols[0]", "SSLv3")]
    public void An_unknown_enumeration_value_is_refused_with_its_path(string path, string value)
    {
        var error = Rejected(body => Set(body, path, value));

        Assert.Equal("InvalidRequestFormat", error.Code);
        Assert.Equal(path, error.Target);
        Assert.Contains($"'{value}'", error.Message);
    }

    [Fact]
    public void An_unknown_redirect_type_is_refused_rather_than_read_as_permanent()
    {
        var error = Rejected(body => body["properties"]!["redirectConfigurations"] = JsonNode.Parse($$"""
            [ { "name": "r", "properties": { "redirectType": "Permanant", "targetUrl": "https://example.com" } } ]
            """));

        Assert.Equal("properties.redirectConfigurations[0].properties.redirectType", error.Target);
        Assert.Contains("Permanent, Found, SeeOther, Temporary", error.Message);
    }

    [Theory]
    [InlineData("Tcp")]
    [InlineData("tls")]
    public void A_layer_4_protocol_on_an_http_listener_is_refused_naming_listeners(string protocol)
    {
        var error = Rejected(body => Item(body, "httpListeners", 1)["protocol"] = protocol);

        Assert.Equal("ApplicationGatewayProtocolNotValidForCollection", error.Code);
        Assert.Contains("in listeners instead", error.Message);
        Assert.Equal("properties.httpListeners[1].properties.protocol", error.Target);
        Assert.Contains("/httpListeners/appgwhttplistener", error.Message);
    }

    [Theory]
    [InlineData("exa mple..com")]
    [InlineData("https://example.com")]
    [InlineData("example.com:8080")]
    public void A_malformed_backend_fqdn_is_refused_with_its_path(string fqdn)
    {
        var error = Rejected(body => Item(body, "backendAddressPools")["backendAddresses"]![1] = new JsonObject { ["fqdn"] = fqdn });

        Assert.Equal("ApplicationGatewayBackendAddressInvalid", error.Code);
        Assert.Equal("properties.backendAddressPools[0].properties.backendAddresses[1].fqdn", error.Target);
        Assert.Contains($"'{fqdn}'", error.Message);
    }

    /// <summary>Sets the value at a path such as <c>properties.httpListeners[1].properties.protocol</c>, making what is missing.</summary>
    private static void Set(JsonObject body, string path, string value)
    {
        JsonNode node = body;
        var segments = path.Split('.');
        foreach (var (segment, last) in segments.Select((s, i) => (s, i == segments.Length - 1)))
        {
            var bracket = segment.IndexOf('[');
            var name = bracket < 0 ? segment : segment[..bracket];
            if (bracket < 0 && last)
            {
                node[name] = value;
                return;
            }
            node = node[name] ??= bracket < 0 ? new JsonObject() : new JsonArray();
            if (bracket < 0) continue;
            var index = int.Parse(segment[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
            var array = node.AsArray();
            while (array.Count <= index) array.Add(last ? null : new JsonObject());
            if (last)
            {
                array[index] = value;
                return;
            }
            node = array[index]!;
        }
    }
}

/// <summary>Plain settings of a gateway and its sub-resources are read by their names, in any casing, and keep their documented default when left out.</summary>
public sealed class PlainSettingsTests
{
    private static ApplicationGateways.ApplicationGateway Read(Action<JsonObject> edit) => NetworkProvider.ReadApplicationGateway(NetworkProvider.Provision(
        new ResourceInput(RestExample.GatewayId, NetworkProvider.ApplicationGatewayType, "appgw", RestExample.ApiVersion, RestExample.CreateBody(edit)),
        RestExample.Neighbours()));

    private static JsonObject Item(JsonObject body, string collection) => body["properties"]![collection]![0]!["properties"]!.AsObject();

    /// <summary>Sets <paramref name="name"/> in this casing, in place of the property in any other.</summary>
    private static void Replace(JsonObject owner, string name, JsonNode value)
    {
        foreach (var key in owner.Select(p => p.Key).Where(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList()) owner.Remove(key);
        owner[name] = value;
    }

    [Fact]
    public void Given_settings_are_read_in_any_casing()
    {
        var gateway = Read(body =>
        {
            Replace(body["properties"]!.AsObject(), "EnableHttp2", true);
            Replace(Item(body, "httpListeners"), "RequireServerNameIndication", true);
            var settings = Item(body, "backendHttpSettingsCollection");
            Replace(settings, "SniName", "backend.test");
            Replace(settings, "validateSni", false);
            Replace(settings, "VALIDATECERTCHAINANDEXPIRY", false);
        });

        Assert.True(gateway.EnableHttp2);
        Assert.True(gateway.HttpListeners[0].RequireServerNameIndication);
        var backend = gateway.BackendHttpSettingsCollection[0];
        Assert.Equal(("backend.test", false, false), (backend.SniName, backend.ValidateSni, backend.ValidateCertChainAndExpiry));
    }

    [Fact]
    public void Settings_left_out_keep_their_defaults()
    {
        var gateway = Read(body =>
        {
            body["properties"]!.AsObject().Remove("enableHttp2");
            Item(body, "httpListeners").Remove("requireServerNameIndication");
            foreach (var name in (string[])["sniName", "validateSNI", "validateCertChainAndExpiry", "affinityCookieName"])
                Item(body, "backendHttpSettingsCollection").Remove(name);
        });

        Assert.False(gateway.EnableHttp2);
        Assert.False(gateway.HttpListeners[0].RequireServerNameIndication);
        var backend = gateway.BackendHttpSettingsCollection[0];
        Assert.Equal((null, true, true, null), (backend.SniName, backend.ValidateSni, backend.ValidateCertChainAndExpiry, backend.AffinityCookieName));
    }
}
