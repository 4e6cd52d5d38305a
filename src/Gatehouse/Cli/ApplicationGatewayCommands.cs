using System.CommandLine;

namespace Gatehouse.Cli;

/// <summary><c>gatehouse network application-gateway show|list</c>, as az's commands of those names.</summary>
public static class ApplicationGatewayCommands
{
    public static Command Build()
    {
        var network = new Command("network", "Manage network resources.");
        var gateway = new Command("application-gateway", "Manage application gateways.");
        gateway.Subcommands.Add(Show());
        gateway.Subcommands.Add(List());
        network.Subcommands.Add(gateway);
        return network;
    }

    /// <summary>The gateways of a group, or of the subscription without <c>--resource-group</c>.</summary>
    private static Command List()
    {
        var dataDir = CommonOptions.DataDir();
        var resourceGroup = new Option<string?>("--resource-group", "-g") { Description = "Name of the resource group (default: all)." };
        var apiVersion = ApiVersion();
        var command = new Command("list", "List application gateways.") { resourceGroup, apiVersion, dataDir };
        command.SetClientAction(dataDir, async (client, result, cancellationToken) =>
        {
            var scope = result.GetValue(resourceGroup) is { } group ? $"/resourceGroups/{Uri.EscapeDataString(group)}" : "";
            return Output.List(await client.SendAsync(HttpMethod.Get,
                $"subscriptions/{client.SubscriptionId}{scope}/providers/Microsoft.Network/applicationGateways?api-version={Uri.EscapeDataString(result.GetValue(apiVersion)!)}",
                cancellationToken: cancellationToken));
        });
        return command;
    }

    private static Option<string> ApiVersion() =>
        new("--api-version") { Description = "API version to render the gateway at.", DefaultValueFactory = _ => "2025-03-01" };

    private static Command Show()
    {
        var dataDir = CommonOptions.DataDir();
        var resourceGroup = CommonOptions.ResourceGroup();
        var name = CommonOptions.Name("Name of the application gateway.");
        var apiVersion = ApiVersion();
        var command = new Command("show", "Show an application gateway.") { resourceGroup, name, apiVersion, dataDir };
        command.SetClientAction(dataDir, async (client, result, cancellationToken) =>
        {
            var path = $"subscriptions/{client.SubscriptionId}/resourceGroups/{Uri.EscapeDataString(result.GetValue(resourceGroup)!)}" +
                $"/providers/Microsoft.Network/applicationGateways/{Uri.EscapeDataString(result.GetValue(name)!)}?api-version={Uri.EscapeDataString(result.GetValue(apiVersion)!)}";
            var response = await client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken);
            return Output.Response(response);
        });
        return command;
    }
}
