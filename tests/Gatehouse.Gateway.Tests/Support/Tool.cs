using System.Diagnostics;

namespace Gatehouse.Gateway.Tests.Support;

public sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;
}

/// <summary>Runs curl or openssl the way a user would, with stdin closed and a bounded wait.</summary>
public static class Tool
{
    public static async Task<ToolResult> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in 30 s.");
        }
        return new ToolResult(process.ExitCode, await output, await error);
    }
}
