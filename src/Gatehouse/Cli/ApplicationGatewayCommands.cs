using System.CommandLine;

namespace Gatehouse.Cli;

/// <summary><c>gatehouse network application-gateway show</c>, as az's command of that name.</summary>
public static class ApplicationGatewayCommands
{
    public static Command Build()
    {
        var network = new Command("network", "Manage network resources.");
        var gateway = new Command("application-gateway", "Manage application gateways.");
        gateway.Subcommands.Add(Show());
        network.Subcommands.Add(gateway);
        return network;
    }

    private static Command Show()
    {
        var dataDir = CommonOptions.DataDir();
        var resourceGroup = CommonOptions.ResourceGroup();
        var name = CommonOptions.Name("Name of the application gateway.");
        var apiVersion = new Option<string>("--api-version") { Description = "API version to render the gateway at.", DefaultValueFactory = _ => "2025-03-01" };
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
