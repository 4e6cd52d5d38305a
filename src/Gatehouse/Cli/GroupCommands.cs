using System.CommandLine;
using System.Text.Json.Nodes;

namespace Gatehouse.Cli;

/// <summary><c>gatehouse group create|show|delete</c>, as <c>az group</c>.</summary>
public static class GroupCommands
{
    public const string ApiVersion = "2021-04-01";

    public static Command Build()
    {
        var group = new Command("group", "Manage resource groups.");
        group.Subcommands.Add(Create());
        group.Subcommands.Add(Show());
        return group;
    }

    private static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var name = CommonOptions.Name("Name of the new resource group.");
        var location = new Option<string>("--location", "-l") { Description = "Location of the group.", DefaultValueFactory = _ => "local" };
        var command = new Command("create", "Create or update a resource group.") { name, location, dataDir };
        command.SetClientAction(dataDir, async (client, result, cancellationToken) =>
        {
            var response = await client.SendAsync(HttpMethod.Put, Path(client, result.GetValue(name)!),
                new JsonObject { ["location"] = result.GetValue(location) }, cancellationToken);
            return Output.Response(response);
        });
        return command;
    }

    private static Command Show()
    {
        var dataDir = CommonOptions.DataDir();
        var name = CommonOptions.Name("Name of the resource group.");
        var command = new Command("show", "Show a resource group.") { name, dataDir };
        command.SetClientAction(dataDir, async (client, result, cancellationToken) =>
        {
            var response = await client.SendAsync(HttpMethod.Get, Path(client, result.GetValue(name)!), cancellationToken: cancellationToken);
            return Output.Response(response);
        });
        return command;
    }

    public static string Path(ManagementClient client, string group) =>
        $"subscriptions/{client.SubscriptionId}/resourcegroups/{Uri.EscapeDataString(group)}?api-version={ApiVersion}";
}
