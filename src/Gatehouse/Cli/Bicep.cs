using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Gatehouse.Errors;

namespace Gatehouse.Cli;

/// <summary>
/// Compiles Bicep to ARM JSON as az does, with the Bicep CLI of the NuGet package Azure.Bicep.CommandLine.linux-x64
/// (its path is written into this assembly at build time): <c>bicep build --stdout</c> for a template,
/// <c>bicep build-params --stdout</c> for a .bicepparam file.
/// </summary>
internal static class Bicep
{
    public static bool IsTemplate(string file) => file.EndsWith(".bicep", StringComparison.OrdinalIgnoreCase);

    public static bool IsParameterFile(string file) => file.EndsWith(".bicepparam", StringComparison.OrdinalIgnoreCase);

    /// <summary>The compiled template's JSON text.</summary>
    public static Task<string> BuildAsync(string templateFile, CancellationToken cancellationToken) =>
        RunAsync(["build", "--stdout", templateFile], cancellationToken);

    /// <summary>The deploymentParameters JSON text of a .bicepparam file (the template it uses is compiled alongside and not needed here).</summary>
    public static async Task<string> BuildParametersAsync(string parameterFile, CancellationToken cancellationToken)
    {
        var built = JsonNode.Parse(await RunAsync(["build-params", "--stdout", parameterFile], cancellationToken));
        return built?["parametersJson"]?.GetValue<string>()
            ?? throw new ArmException("InvalidTemplate", $"bicep build-params gave no parametersJson for '{parameterFile}'.");
    }

    private static async Task<string> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        // Bicep prints its diagnostics (file(line,col) : Error BCP...) on stderr; they are the template's errors.
        if (process.ExitCode != 0)
            throw new ArmException("InvalidTemplate", $"bicep {arguments[0]} failed for '{arguments[^1]}':\n{(await stderr).Trim()}");
        return await stdout;
    }

    private static string Executable { get; } = typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BicepPath").Value!;
}
