using System.Diagnostics;
using System.Text.Json.Nodes;
using Gatehouse.Control.Security;

namespace Gatehouse.Control;

/// <summary>
/// <c>serve.json</c> in the data directory: <c>{"managementUrl", "pid"}</c> of the running server, so that CLI commands
/// given the same data directory find it. Written on start, deleted on stop.
/// </summary>
public static class ServeRegistration
{
    public const string FileName = "serve.json";

    public static void Write(string dataDirectory, Uri managementUrl) =>
        PrivateFile.WriteText(Path.Combine(dataDirectory, FileName),
            new JsonObject { ["managementUrl"] = managementUrl.ToString(), ["pid"] = Environment.ProcessId }.ToJsonString());

    public static void Delete(string dataDirectory) => File.Delete(Path.Combine(dataDirectory, FileName));

    /// <summary>The running server's management URL; null when none is registered or its process has ended (a crash leaves the file behind).</summary>
    public static Uri? Read(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path)) return null;
        var registration = JsonNode.Parse(File.ReadAllText(path));
        if (registration?["managementUrl"]?.GetValue<string>() is not { } url || registration["pid"]?.GetValue<int>() is not { } pid) return null;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : new Uri(url);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
