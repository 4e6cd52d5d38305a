using System.CommandLine;
using System.Text.Json.Nodes;
using Gatehouse.Errors;

namespace Gatehouse.Cli;

/// <summary><c>gatehouse group create|show|delete|list</c>, as <c>az group</c>.</summary>
public static class GroupCommands
{
    public const string ApiVersion = "2021-04-01";

    public static Command Build()
    {
        var group = new Command("group", "Manage resource groups.");
        group.Subcommands.Add(Create());
        group.Subcommands.Add(Show());
        group.Subcommands.Add(Delete());
        group.Subcommands.Add(List());
        return group;
    }

    /// <summary>Like az: asks first unless <c>--yes</c>; prints nothing when the group is gone.</summary>
    private static Command Delete()
    {
        var dataDir = CommonOptions.DataDir();
        var name = CommonOptions.Name("Name of the resource group.");
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not prompt for confirmation." };
        var command = new Command("delete", "Delete a resource group, its resources and their listeners.") { name, yes, dataDir };
        command.SetClientAction(dataDir, async (client, result, cancellationToken) =>
        {
            if (!result.GetValue(yes))
            {
                Console.Error.Write("Are you sure you want to perform this operation? (y/n): ");
                if (Console.In.ReadLine()?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                    return Output.Failure(new ArmError("OperationCanceled", "The resource group was not deleted: the operation was not confirmed (pass --yes)."));
            }
            var started = await client.SendAsync(HttpMethod.Delete, Path(client, result.GetValue(name)!), cancellationToken: cancellationToken);
            var deleted = await client.ResultAsync(started, cancellationToken);
            return deleted.IsSuccess ? 0 : Output.Failure(deleted.Error);
        });
        return command;
    }

    private static Command List()
    {
        var dataDir = CommonOptions.DataDir();
        var command = new Command("list", "List resource groups.") { dataDir };
        command.SetClientAction(dataDir, async (client, _, cancellationToken) => Output.List(await client.SendAsync(HttpMethod.Get,
            $"subscriptions/{client.SubscriptionId}/resourcegroups?api-version={ApiVersion}", cancellationToken: cancellationToken)));
        return command;
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
