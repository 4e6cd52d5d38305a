using System.Diagnostics;
using System.Text;

namespace Gatehouse.Tests;

/// <summary>Runs the real <c>gatehouse</c> executable (and curl) as a user would, with bounded waits.</summary>
internal static class GatehouseProcess
{
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "gatehouse.dll");

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx"))) dir = dir.Parent;
            return dir!.FullName;
        }
    }

    public static string Example(string file) => Path.Combine(RepositoryRoot, "examples", "mtls-passthrough", file);

    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return info;
    }

    public static ProcessStartInfo Gatehouse(IEnumerable<string> arguments) => StartInfo("dotnet", [Executable, .. arguments]);

    public static Task<Completed> RunGatehouseAsync(params string[] arguments) => RunAsync(Gatehouse(arguments));

    public static Task<Completed> CurlAsync(params string[] arguments) =>
        RunAsync(StartInfo("curl", ["--silent", "--show-error", "--max-time", "20", .. arguments]));

    public static async Task<Completed> RunAsync(ProcessStartInfo info, int timeoutSeconds = 120)
    {
        using var process = Process.Start(info)!;
        if (info.RedirectStandardInput) process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not finish in {timeoutSeconds} s");
        }
        return new Completed(process.ExitCode, await stdout, await stderr);
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record Completed(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>A long-running gatehouse process (serve or up) whose output is watched until a line appears.</summary>
internal sealed class RunningGatehouse : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly object gate = new();

    private RunningGatehouse(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (gate) return output.ToString(); } }

    public static Task<RunningGatehouse> StartAsync(string readyLine, params string[] arguments) =>
        StartAsync(GatehouseProcess.Gatehouse(arguments), readyLine);

    public static async Task<RunningGatehouse> StartAsync(ProcessStartInfo info, string readyLine)
    {
        var running = new RunningGatehouse(Process.Start(info)!);
        await running.WaitForAsync(readyLine);
        return running;
    }

    public async Task WaitForAsync(string text, int timeoutSeconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited) throw new InvalidOperationException($"gatehouse exited ({process.ExitCode}) before '{text}':\n{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"gatehouse did not print '{text}' in {timeoutSeconds} s:\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Stops as a service manager would (SIGTERM), or abruptly (SIGKILL) to prove nothing depends on a clean exit.</summary>
    public Task StopAsync(bool abruptly = false) => StopAsync(abruptly ? "KILL" : "TERM");

    /// <summary>Sends the signal (TERM, INT as Ctrl+C sends, KILL) and waits for the process to end.</summary>
    public async Task StopAsync(string signal)
    {
        if (process.HasExited) return;
        if (signal == "KILL") process.Kill(entireProcessTree: true);
        else await GatehouseProcess.RunAsync(GatehouseProcess.StartInfo("kill", [$"-{signal}", process.Id.ToString()]));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
    }
}
