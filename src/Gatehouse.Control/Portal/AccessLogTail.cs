using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Control.Portal;

/// <summary>One access log line as the portal shows it: the fields that say who asked, what came back and why.</summary>
internal sealed record RecentRequest(string Time, string Listener, string Status, string ClientIp, string SslClientVerify, string ServerRouted, string TimeTaken);

/// <summary>One firewall log line as the portal shows it: what the firewall did to which request, and by which rule.</summary>
internal sealed record FirewallEvent(string Time, string Action, string RuleSetType, string RuleId, string Message, string RequestUri, string ClientIp, string Scope);

/// <summary>
/// The newest lines of a log that the data plane is writing (the access log, the firewall log beside it), read from its
/// end without disturbing it.
/// </summary>
internal static class AccessLogTail
{
    public const int Count = 50;

    // Lines are well under 2 KiB, so this holds the last 50 of any one gateway among a busier neighbour's.
    private const int WindowBytes = 512 * 1024;

    /// <summary>The gateway's latest requests, newest first; none when there is no log yet.</summary>
    public static IReadOnlyList<RecentRequest> Read(string path, string gatewayId) => Read(path, gatewayId, (entry, properties) => new RecentRequest(
        Field(entry, "timeStamp"), Field(entry, "listenerName"), Field(properties, "httpStatus"), Field(properties, "clientIP"),
        Field(properties, "sslClientVerify"), Field(properties, "serverRouted"), Field(properties, "timeTaken")));

    /// <summary>The gateway's latest firewall log lines, newest first; none when there is no log yet.</summary>
    public static IReadOnlyList<FirewallEvent> ReadFirewall(string path, string gatewayId) => Read(path, gatewayId, (entry, properties) => new FirewallEvent(
        Field(entry, "timeStamp"), Field(properties, "action"), Field(properties, "ruleSetType"), Field(properties, "ruleId"),
        Field(properties, "message"), Field(properties, "requestUri"), Field(properties, "clientIp"),
        $"{Field(properties, "policyScope")} {Field(properties, "policyScopeName")}"));

    private static IReadOnlyList<T> Read<T>(string path, string gatewayId, Func<JsonObject, JsonObject, T> select) where T : class
    {
        string text;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var start = Math.Max(0, file.Length - WindowBytes);
            file.Position = start;
            using var reader = new StreamReader(file, Encoding.UTF8);
            text = reader.ReadToEnd();
            // The window may start mid-line: that fragment is not a line.
            if (start > 0) text = text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => Parse(line, select))
            .OfType<(string ResourceId, T Request)>()
            .Where(line => line.ResourceId.Equals(gatewayId, StringComparison.OrdinalIgnoreCase))
            .Select(line => line.Request)
            .TakeLast(Count)
            .Reverse()];
    }

    // A line being written at this moment is incomplete; it is skipped, and shows on the next look.
    private static (string ResourceId, T Request)? Parse<T>(string line, Func<JsonObject, JsonObject, T> select)
    {
        try
        {
            if (JsonNode.Parse(line) is not JsonObject entry || entry["properties"] is not JsonObject properties) return null;
            return (Field(entry, "resourceId"), select(entry, properties));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Field(JsonObject json, string name) => json[name]?.ToString() ?? "";
}
