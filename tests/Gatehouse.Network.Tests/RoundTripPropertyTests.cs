using System.Text.Json.Nodes;
using CsCheck;

namespace Gatehouse.Network.Tests;

/// <summary>
/// Round trips that must hold for any input CsCheck generates: the casing a client writes never changes what is stored,
/// and a GET body put back at the api-version it was read with (what <c>az ... update</c> does) changes nothing.
/// </summary>
public sealed class RoundTripPropertyTests
{
    // Every api-version a property of the renderer appeared in, and one before each.
    private static readonly string[] Versions =
        ["2019-09-01", "2020-05-01", "2021-08-01", "2022-01-01", "2022-05-01", "2023-02-01", "2024-05-01", "2025-03-01"];

    private static readonly Gen<string> ApiVersions = Gen.Int[0, Versions.Length - 1].Select(i => Versions[i]);

    private static readonly ProvisionedResource Stored = RestExample.Provision();

    [Fact]
    public void Any_casing_of_property_names_stores_the_same_gateway()
    {
        Gen.Int.Sample(seed =>
        {
            var body = RestExample.CreateBody();
            var expected = Comparable(NetworkProvider.Render(Provision(body), RestExample.ApiVersion));
            var recased = Comparable(NetworkProvider.Render(Provision((JsonObject)Recase(body, new Random(seed), userKeyed: false)!), RestExample.ApiVersion));
            var difference = FirstDifference(expected, recased, "");
            Assert.True(difference is null, difference);
        }, iter: 12);
    }

    [Fact]
    public void A_get_body_put_back_at_the_same_api_version_renders_the_same()
    {
        ApiVersions.Sample(apiVersion =>
        {
            var shown = NetworkProvider.Render(Stored, apiVersion);
            var again = NetworkProvider.Provision(
                new ResourceInput(RestExample.GatewayId, NetworkProvider.ApplicationGatewayType, "appgw", apiVersion, (JsonObject)shown.DeepClone()),
                id => ResourceIds.Comparer.Equals(id, RestExample.GatewayId) ? Stored : RestExample.Neighbours()(id));
            var difference = FirstDifference(Comparable(shown), Comparable(NetworkProvider.Render(again, apiVersion)), "");
            Assert.True(difference is null, difference);
        }, iter: 16);
    }

    private static ProvisionedResource Provision(JsonObject body) => NetworkProvider.Provision(
        new ResourceInput(RestExample.GatewayId, NetworkProvider.ApplicationGatewayType, "appgw", RestExample.ApiVersion, body), RestExample.Neighbours());

    /// <summary>Where two bodies first differ, as a path with both values; null when they are equal.</summary>
    private static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path) => (expected, actual) switch
    {
        (JsonObject e, JsonObject a) => e.Select(p => p.Key).Union(a.Select(p => p.Key))
            .Select(key => FirstDifference(e[key], a[key], $"{path}.{key}")).FirstOrDefault(d => d is not null),
        (JsonArray e, JsonArray a) when e.Count == a.Count => e.Select((item, i) => FirstDifference(item, a[i], $"{path}[{i}]")).FirstOrDefault(d => d is not null),
        _ when JsonNode.DeepEquals(expected, actual) => null,
        _ => $"{path}: {expected?.ToJsonString() ?? "absent"} became {actual?.ToJsonString() ?? "absent"}",
    };

    /// <summary>Property names in a random casing; below tags and identity maps the keys are the user's own data and keep theirs.</summary>
    private static JsonNode? Recase(JsonNode? node, Random random, bool userKeyed) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(
            userKeyed ? p.Key : RandomCase(p.Key, random), Recase(p.Value, random, p.Key is "tags" or "userAssignedIdentities")))),
        JsonArray array => new JsonArray(array.Select(item => Recase(item, random, false)).ToArray()),
        _ => node?.DeepClone(),
    };

    private static string RandomCase(string name, Random random) =>
        string.Concat(name.Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)));

    /// <summary>The body without what every provisioning of a new resource makes anew (etags, the resource's guid).</summary>
    private static JsonNode Comparable(JsonNode body)
    {
        var copy = body.DeepClone();
        RemoveEtags(copy);
        copy["properties"]!.AsObject().Remove("resourceGuid");
        return copy;
    }

    private static void RemoveEtags(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            obj.Remove("etag");
            foreach (var (_, value) in obj) RemoveEtags(value);
        }
        else if (node is JsonArray array)
            foreach (var item in array) RemoveEtags(item);
    }
}
