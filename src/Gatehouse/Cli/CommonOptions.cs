using System.CommandLine;

namespace Gatehouse.Cli;

/// <summary>Options several commands share, spelt as az spells them.</summary>
public static class CommonOptions
{
    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = $"State directory of the 'gatehouse serve' to use (default: ${DataDirectory.EnvironmentVariable} or ~/.gatehouse).",
    };

    public static Option<string> ResourceGroup() => new("--resource-group", "-g") { Description = "Name of the resource group.", Required = true };

    public static Option<string> Name(string description, bool required = true) => new("--name", "-n") { Description = description, Required = required };

    /// <summary>Runs the command against the <c>serve</c> found through <paramref name="dataDir"/>.</summary>
    public static void SetClientAction(this Command command, Option<string?> dataDir, Func<ManagementClient, ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction((result, cancellationToken) => Output.Guard(async () =>
        {
            using var client = ManagementClient.Connect(DataDirectory.Resolve(result.GetValue(dataDir)));
            return await action(client, result, cancellationToken);
        }));
}
