using System.Diagnostics;
using System.Text;

namespace Gatehouse.Gateway.Tests.Support;

public sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;
}

/// <summary>Runs curl or openssl the way a user would, with a bounded wait.</summary>
public static class Tool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs with stdin closed.</summary>
    public static Task<ToolResult> RunAsync(string fileName, params string[] arguments) =>
        ConverseAsync(fileName, null, "", arguments);

    /// <summary>
    /// Runs with stdin open and types <paramref name="input"/> once a line of output contains
    /// <paramref name="ready"/> (at once when null), then closes stdin only when the tool exits.
    /// </summary>
    public static async Task<ToolResult> ConverseAsync(string fileName, string? ready, string input, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var error = new StringBuilder();
        var typed = false;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null) return;
            lock (output) output.AppendLine(line.Data);
            if (ready is null || typed || !line.Data.Contains(ready, StringComparison.Ordinal)) return;
            typed = true;
            process.StandardInput.Write(input);
            process.StandardInput.Flush();
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null) lock (error) error.AppendLine(line.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (ready is null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            // The process has exited; this returns once the output handlers have seen the end of both streams.
            process.WaitForExit();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in {Timeout.TotalSeconds} s:\n{output}{error}");
        }
        lock (output) lock (error) return new ToolResult(process.ExitCode, output.ToString(), error.ToString());
    }
}
