using System.Text.Json.Nodes;
using Gatehouse.Errors;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// Properties Azure serves that this gateway cannot enforce locally. A gateway that sets one (to a value that would
/// change what Azure does) is refused with an error naming it, rather than deployed Succeeded and silently ignoring it.
/// Paths are the specification's, from the resource's root; <c>[]</c> stands for every element of an array.
/// </summary>
public static class LocalSupport
{
    /// <param name="Refuses">Whether the value set at the path changes what Azure does (an empty list or a false flag does not).</param>
    /// <param name="Sample">A value the rule refuses, for tests.</param>
    public sealed record Rule(string Path, Func<JsonNode, bool> Refuses, JsonNode Sample, string Why);

    private static bool NonEmpty(JsonNode value) => value is JsonArray { Count: > 0 } or JsonObject;

    private static bool Present(JsonNode value) => true;

    private static bool True(JsonNode value) => value is JsonValue v && v.TryGetValue<bool>(out var flag) && flag;

    private static bool AnyTrue(JsonNode value) => value is JsonObject flags && flags.Any(f => f.Value is { } flag && True(flag));

    private static bool NonZero(JsonNode value) => value is JsonValue v && v.TryGetValue<int>(out var number) && number != 0;

    private const string Reference = """{ "id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/applicationGateways/a/x/y" }""";

    private static readonly string[] HeaderCollections = ["requestHeaderConfigurations", "responseHeaderConfigurations"];

    public static IReadOnlyList<Rule> Rules { get; } =
    [
        new("properties.frontendIPConfigurations[].properties.privateLinkConfiguration", Present, JsonNode.Parse(Reference)!,
            "Private Link needs Azure's virtual network"),
        new("properties.privateLinkConfigurations", NonEmpty, JsonNode.Parse("""[ { "name": "pl" } ]""")!, "Private Link needs Azure's virtual network"),
        new("properties.privateEndpointConnections", NonEmpty, JsonNode.Parse("""[ { "name": "pe" } ]""")!, "private endpoints need Azure's virtual network"),
        new("properties.probes[].properties.minServers", NonZero, 1, "the prober here does not keep a minimum of members in rotation when probes fail"),
        new("properties.probes[].properties.enableProbeProxyProtocolHeader", True, true, "probes here send no PROXY protocol header"),
        new("properties.probes[].properties.pickHostNameFromBackendSettings", True, true, "layer-4 probes here only connect and send no host name"),
        new("properties.backendHttpSettingsCollection[].properties.dedicatedBackendConnection", True, true,
            "backend connections here are pooled and shared between clients"),
        new("properties.backendSettingsCollection[].properties.enableL4ClientIpPreservation", True, true, "the PROXY protocol header is not sent to backends here"),
        .. HeaderCollections.Select(collection => new Rule(
            $"properties.rewriteRuleSets[].properties.rewriteRules[].actionSet.{collection}[].headerValueMatcher", Present,
            JsonNode.Parse("""{ "pattern": "x" }""")!, "header value matchers are not applied by the rewrites here")),
        new("properties.enableFips", True, true, "the TLS stack here is not run in FIPS mode"),
        // Streaming is what the forwarder here does: false is served as written, true is not.
        new("properties.globalConfiguration", AnyTrue, JsonNode.Parse("""{ "enableRequestBuffering": true }""")!,
            "requests and responses are streamed here (as with enableRequestBuffering and enableResponseBuffering false); buffering them is not available"),
    ];

    /// <summary>Adds an error for every property of <paramref name="body"/> a rule refuses, at its concrete path.</summary>
    public static void Refuse(string gatewayId, JsonObject body, ArmErrorList errors)
    {
        foreach (var rule in Rules)
            foreach (var (path, value) in Select(body, rule.Path.Split('.'), ""))
                if (rule.Refuses(value))
                    errors.Add(ArmErrors.PropertyNotSupportedLocally(path, gatewayId, rule.Path[(rule.Path.LastIndexOf('.') + 1)..], rule.Why));
    }

    private static IEnumerable<(string Path, JsonNode Value)> Select(JsonNode node, string[] segments, string path)
    {
        if (segments.Length == 0)
        {
            yield return (path, node);
            yield break;
        }
        var segment = segments[0];
        var each = segment.EndsWith("[]", StringComparison.Ordinal);
        var name = each ? segment[..^2] : segment;
        var here = path.Length == 0 ? name : $"{path}.{name}";
        if (node is not JsonObject obj || obj[name] is not { } child) yield break;
        if (!each)
        {
            foreach (var found in Select(child, segments[1..], here)) yield return found;
            yield break;
        }
        if (child is not JsonArray items) yield break;
        for (var i = 0; i < items.Count; i++)
            if (items[i] is { } item)
                foreach (var found in Select(item, segments[1..], $"{here}[{i}]")) yield return found;
    }
}
