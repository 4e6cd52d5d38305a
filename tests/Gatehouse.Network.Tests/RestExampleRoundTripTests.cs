using System.Text.Json.Nodes;

namespace Gatehouse.Network.Tests;

/// <summary>The REST specification's create example, provisioned and read back, has the shape of its GET example.</summary>
public sealed class RestExampleRoundTripTests
{
    private static readonly JsonObject Rendered = NetworkProvider.Render(RestExample.Provision(), RestExample.ApiVersion);

    private static readonly JsonObject Expected = WithoutBuffering(RestExample.Example("ApplicationGatewayGet.json")["responses"]!["200"]!["body"]!.AsObject());

    /// <summary>The example's buffering is refused locally (streaming is served), so the create body leaves it out: so does the GET.</summary>
    private static JsonObject WithoutBuffering(JsonObject body)
    {
        body["properties"]!.AsObject().Remove("globalConfiguration");
        return body;
    }

    [Fact]
    public void The_envelope_and_top_level_properties_are_those_of_the_get_example()
    {
        AssertHasKeys(Expected, Rendered, "");
        AssertHasKeys(Expected["properties"]!.AsObject(), Rendered["properties"]!.AsObject(), "properties");
        Assert.Equal(RestExample.GatewayId, (string?)Rendered["id"]);
    }

    [Fact]
    public void Every_sub_resource_that_both_examples_name_has_the_get_examples_shape()
    {
        var compared = 0;
        foreach (var (collection, expectedItems) in Expected["properties"]!.AsObject().Where(p => p.Value is JsonArray))
        {
            var renderedItems = Assert.IsType<JsonArray>(Rendered["properties"]![collection], exactMatch: false);
            foreach (var expected in expectedItems!.AsArray().Select(i => i!.AsObject()))
            {
                var rendered = renderedItems.Select(i => i!.AsObject()).SingleOrDefault(i => (string?)i["name"] == (string?)expected["name"]);
                if (rendered is null) continue; // the GET example shows things the create example never made
                var path = $"properties.{collection}[{expected["name"]}]";
                Assert.Equal((string?)expected["id"], (string?)rendered["id"]);
                Assert.Equal(["name", "id", "etag", "properties"], rendered.Select(p => p.Key).Where(k => k != "type"));
                AssertHasKeys(expected["properties"]!.AsObject(), rendered["properties"]!.AsObject(), path);
                Assert.Equal("provisioningState", rendered["properties"]!.AsObject().First().Key);
                compared++;
            }
        }
        Assert.True(compared >= 10, $"only {compared} sub-resources compared");
    }

    [Fact]
    public void Sub_resources_carry_a_type_where_real_gets_show_one()
    {
        var properties = Rendered["properties"]!;
        Assert.Equal("Microsoft.Network/applicationGateways/httpListeners", (string?)properties["httpListeners"]![0]!["type"]);
        Assert.Equal("Microsoft.Network/applicationGateways/backendHttpSettingsCollection", (string?)properties["backendHttpSettingsCollection"]![0]!["type"]);
        Assert.Equal(["name", "id", "etag", "type", "properties"], properties["frontendPorts"]![0]!.AsObject().Select(p => p.Key));
        Assert.Null(properties["sslProfiles"]![0]!["type"]);
        Assert.Null(properties["rewriteRuleSets"]![0]!["type"]);
    }

    [Fact]
    public void Derived_and_write_only_certificate_data_read_back_as_azure_shows_them()
    {
        var properties = Rendered["properties"]!;
        var sslCertificate = properties["sslCertificates"]![0]!["properties"]!.AsObject();
        Assert.Equal(["provisioningState", "publicCertData"], sslCertificate.Select(p => p.Key));

        var trusted = properties["trustedClientCertificates"]![0]!["properties"]!;
        Assert.Equal(RestExample.ClientCaSubject, (string?)trusted["clientCertIssuerDN"]);
        Assert.False(string.IsNullOrEmpty((string?)trusted["validatedCertData"]));
        Assert.Contains("BEGIN CERTIFICATE", (string?)trusted["data"]);
    }

    [Fact]
    public void The_typed_view_carries_url_rewrites_and_backend_settings()
    {
        var gateway = NetworkProvider.ReadApplicationGateway(RestExample.Provision());

        var url = gateway.RewriteRuleSets.Single().RewriteRules.Single().ActionSet.UrlConfiguration;
        Assert.Equal(new ApplicationGateways.UrlConfiguration("/abc", null, false), url);
        var settings = gateway.BackendHttpSettingsCollection.Single();
        Assert.Equal(30, settings.RequestTimeoutSeconds);
        Assert.False(settings.CookieBasedAffinity);
        Assert.Equal(RestExample.ClientCaSubject, gateway.TrustedClientCertificates.Single().ClientCertIssuerDN);
        Assert.Equal(["rootcert", "rootcert1"], gateway.TrustedRootCertificates.Select(r => r.Name));
        Assert.Equal(RestExample.KeyVaultSecretId, gateway.TrustedRootCertificates[1].KeyVaultSecretId);
    }

    private static void AssertHasKeys(JsonObject expected, JsonObject rendered, string path)
    {
        var missing = expected.Where(p => !rendered.ContainsKey(p.Key) && !IsInvented(p.Value)).Select(p => p.Key).ToList();
        Assert.True(missing.Count == 0, $"{path} lacks {string.Join(", ", missing)}");
    }

    // The GET example references sub-resources (load distribution policies, JWT validation) that the create example never made.
    private static bool IsInvented(JsonNode? value) =>
        value is JsonObject { Count: 1 } reference && reference["id"] is JsonValue id && !RenderedIds.Contains((string)id!);

    private static readonly HashSet<string> RenderedIds = Rendered["properties"]!.AsObject()
        .Where(p => p.Value is JsonArray)
        .SelectMany(p => p.Value!.AsArray())
        .Select(i => (string)i!["id"]!)
        .ToHashSet(ResourceIds.Comparer);
}
