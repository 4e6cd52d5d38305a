using System.CommandLine;

namespace Gatehouse.Cli;

/// <summary><c>gatehouse network application-gateway show|list|show-backend-health</c>, as az's commands of those names.</summary>
public static class ApplicationGatewayCommands
{
    public static Command Build()
    {
        var network = new Command("network", "Manage network resources.");
        var gateway = new Command("application-gateway", "Manage application gateways.");
        gateway.Subcommands.Add(Show());
        gateway.Subcommands.Add(List());
        gateway.Subcommands.Add(ShowBackendHealth());
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
        var gateway = new GatewayOptions();
        var command = gateway.Command("show", "Show an application gateway.");
        command.SetClientAction(gateway.DataDir, async (client, result, cancellationToken) =>
            Output.Response(await client.SendAsync(HttpMethod.Get, gateway.Path(client, result, ""), cancellationToken: cancellationToken)));
        return command;
    }

    /// <summary>Azure answers the POST with 202; the health report is at the Location, which is followed as az does.</summary>
    private static Command ShowBackendHealth()
    {
        var gateway = new GatewayOptions();
        var command = gateway.Command("show-backend-health", "Get information on the backend health of an application gateway.");
        command.SetClientAction(gateway.DataDir, async (client, result, cancellationToken) =>
        {
            var started = await client.SendAsync(HttpMethod.Post, gateway.Path(client, result, "/backendhealth"), cancellationToken: cancellationToken);
            return Output.Response(await client.ResultAsync(started, cancellationToken));
        });
        return command;
    }

    /// <summary>The flags that name one gateway (<c>-g</c>, <c>-n</c>, <c>--api-version</c>, <c>--data-dir</c>).</summary>
    private sealed class GatewayOptions
    {
        public Option<string?> DataDir { get; } = CommonOptions.DataDir();

        private Option<string> ResourceGroup { get; } = CommonOptions.ResourceGroup();

        private Option<string> Name { get; } = CommonOptions.Name("Name of the application gateway.");

        private Option<string> ApiVersion { get; } = ApplicationGatewayCommands.ApiVersion();

        public Command Command(string name, string description) => new(name, description) { ResourceGroup, Name, ApiVersion, DataDir };

        /// <summary>The gateway's path, then <paramref name="action"/> (empty, or <c>/backendhealth</c>), then the api-version.</summary>
        public string Path(ManagementClient client, ParseResult result, string action) =>
            $"subscriptions/{client.SubscriptionId}/resourceGroups/{Uri.EscapeDataString(result.GetValue(ResourceGroup)!)}" +
            $"/providers/Microsoft.Network/applicationGateways/{Uri.EscapeDataString(result.GetValue(Name)!)}{action}" +
            $"?api-version={Uri.EscapeDataString(result.GetValue(ApiVersion)!)}";
    }
}
