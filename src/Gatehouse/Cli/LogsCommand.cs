using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Hosting;

namespace Gatehouse.Cli;

/// <summary>
/// <c>gatehouse logs</c>: the access log of the <c>serve</c> in the data directory, one readable line per request, filtered,
/// and followed like <c>tail -f</c> (across rotations) unless <c>--no-follow</c>.
/// </summary>
public static class LogsCommand
{
    /// <summary>How often a followed log is checked for new lines.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Bounded reads: a large log is printed in pieces, never loaded whole.</summary>
    private const int ChunkChars = 64 * 1024;

    public static Command Build()
    {
        var dataDir = CommonOptions.DataDir();
        var listener = new Option<string?>("--listener") { Description = "Only requests to this listener (name)." };
        var status = new Option<string?>("--status") { Description = "Only this HTTP status (502) or status group (5xx)." };
        var verify = new Option<string?>("--client-cert-verify") { Description = "Only this sslClientVerify: NONE, PASSTHROUGH, SUCCESS or FAILED (any reason)." };
        var noFollow = new Option<bool>("--no-follow") { Description = "Print what is logged now and exit." };
        var firewall = new Option<bool>("--firewall") { Description = "Show the web application firewall's log (rule matches and blocks) instead." };
        var command = new Command("logs", "Show the gateway's access log, and follow it.") { dataDir, listener, status, verify, noFollow, firewall };
        command.SetAction((result, cancellationToken) => Output.Guard(async () =>
        {
            var filter = new LogFilter(result.GetValue(listener), result.GetValue(status), result.GetValue(verify));
            var directory = DataDirectory.Resolve(result.GetValue(dataDir));
            var path = result.GetValue(firewall) ? AccessLogFile.FirewallPathIn(directory) : AccessLogFile.PathIn(directory);
            await PrintAsync(path, filter, follow: !result.GetValue(noFollow), Console.Out, cancellationToken);
            return 0;
        }));
        return command;
    }

    private static async Task PrintAsync(string path, LogFilter filter, bool follow, TextWriter output, CancellationToken cancellationToken)
    {
        long position = 0;
        var partial = new StringBuilder();
        var buffer = new char[ChunkChars];
        while (!cancellationToken.IsCancellationRequested)
        {
            if (File.Exists(path))
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                // A shorter file is a new one after rotation: start it from the top.
                if (file.Length < position)
                {
                    position = 0;
                    partial.Clear();
                }
                file.Position = position;
                using var reader = new StreamReader(file, Encoding.UTF8, false, ChunkChars, leaveOpen: true);
                int read;
                while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    partial.Append(buffer, 0, read);
                    PrintCompleteLines(partial, filter, output);
                }
                position = file.Position;
            }
            if (!follow) return;
            await output.FlushAsync(cancellationToken);
            try { await Task.Delay(PollInterval, cancellationToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Prints the lines that have their line feed and keeps the rest, which the gateway is still writing.</summary>
    private static void PrintCompleteLines(StringBuilder partial, LogFilter filter, TextWriter output)
    {
        var text = partial.ToString();
        var end = text.LastIndexOf('\n');
        if (end < 0) return;
        foreach (var line in text[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (JsonNode.Parse(line) is JsonObject entry && filter.Matches(entry))
                output.WriteLine(entry["category"]?.ToString() == "ApplicationGatewayFirewallLog" ? FormatFirewall(entry) : Format(entry));
        partial.Remove(0, end + 1);
    }

    /// <summary><c>time listener status method uri sslClientVerify error_info timeTaken</c>.</summary>
    private static string Format(JsonObject entry)
    {
        var p = entry["properties"] ?? new JsonObject();
        var taken = p["timeTaken"]?.GetValue<double>().ToString("0.000", CultureInfo.InvariantCulture);
        return $"{entry["timeStamp"]} {Or(entry["listenerName"])} {p["httpStatus"]} {p["httpMethod"]} {p["originalRequestUriWithArgs"]} " +
            $"client-cert={p["sslClientVerify"]} server={Or(p["serverRouted"])} {p["error_info"]} {taken}s";
    }

    /// <summary><c>time action ruleSetType ruleId uri "message" scope transactionId</c>.</summary>
    private static string FormatFirewall(JsonObject entry)
    {
        var p = entry["properties"] ?? new JsonObject();
        return $"{entry["timeStamp"]} {p["action"]} {p["ruleSetType"]} {Or(p["ruleId"])} {p["requestUri"]} \"{p["message"]}\" " +
            $"policy={p["policyScope"]}:{p["policyScopeName"]} transaction={p["transactionId"]}";
    }

    private static string Or(JsonNode? value) => value?.ToString() is { Length: > 0 } text ? text : "-";

    private sealed record LogFilter(string? Listener, string? Status, string? ClientCertificateVerify)
    {
        public bool Matches(JsonObject entry)
        {
            var properties = entry["properties"];
            if (Listener is not null && !string.Equals(entry["listenerName"]?.ToString(), Listener, StringComparison.OrdinalIgnoreCase)) return false;
            if (Status is not null && !StatusMatches(properties?["httpStatus"]?.ToString() ?? "")) return false;
            return ClientCertificateVerify is null
                || (properties?["sslClientVerify"]?.ToString() ?? "").StartsWith(ClientCertificateVerify, StringComparison.OrdinalIgnoreCase);
        }

        private bool StatusMatches(string status) => Status!.EndsWith("xx", StringComparison.OrdinalIgnoreCase)
            ? status.Length == 3 && status[0] == Status[0]
            : status == Status;
    }
}
