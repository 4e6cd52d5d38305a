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
    public void A_layer_4_listener_is_refused_as_not_served_locally(string protocol)
    {
        var error = Rejected(body => Item(body, "httpListeners", 1)["protocol"] = protocol);

        Assert.Equal("ApplicationGatewayProtocolNotSupportedLocally", error.Code);
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
