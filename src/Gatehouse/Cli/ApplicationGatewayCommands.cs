using System.CommandLine;
using System.Text.Json.Nodes;

namespace Gatehouse.Cli;

/// <summary><c>gatehouse network application-gateway show|list|show-backend-health</c>, as az's commands of those names (and <c>show --local-addresses</c>, Gatehouse's own).</summary>
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
        var localAddresses = new Option<bool>("--local-addresses")
        {
            Description = "Instead of the gateway, show each frontend IP configuration with the local address:port that serves it here.",
        };
        command.Options.Add(localAddresses);
        command.SetClientAction(gateway.DataDir, async (client, result, cancellationToken) => result.GetValue(localAddresses)
            ? Output.List(await client.SendAsync(HttpMethod.Get, gateway.Path(client, result, "/providers/Gatehouse/localAddresses"), cancellationToken: cancellationToken))
            : Output.Response(await client.SendAsync(HttpMethod.Get, gateway.Path(client, result, ""), cancellationToken: cancellationToken)));
        return command;
    }

    /// <summary>
    /// Azure answers the POST with 202; the health report is at the Location, which is followed as az does. Any of the
    /// probe flags makes it az's on-demand probe (getBackendHealthOnDemand) of one pool under one settings, named or by id.
    /// </summary>
    private static Command ShowBackendHealth()
    {
        var gateway = new GatewayOptions();
        var command = gateway.Command("show-backend-health", "Get information on the backend health of an application gateway.");
        var protocol = new Option<string?>("--protocol") { Description = "The probe's protocol (Http or Https; default: the settings')." };
        var host = new Option<string?>("--host", "--host-name") { Description = "The host name the probe sends." };
        var path = new Option<string?>("--path") { Description = "The probe's path, starting with '/'." };
        var timeout = new Option<int?>("--timeout") { Description = "The probe's timeout in seconds." };
        var hostFromSettings = new Option<bool?>("--host-name-from-http-settings") { Description = "Send the HTTP settings' host name." };
        var matchBody = new Option<string?>("--match-body") { Description = "Text a healthy answer's body contains." };
        var matchStatusCodes = new Option<string[]?>("--match-status-codes") { Description = "Healthy statuses, such as 200 or 200-399.", AllowMultipleArgumentsPerToken = true };
        var addressPool = new Option<string?>("--address-pool") { Description = "The backend address pool, by name or id." };
        var httpSettings = new Option<string?>("--http-settings") { Description = "The backend HTTP settings, by name or id." };
        foreach (var option in new Option[] { protocol, host, path, timeout, hostFromSettings, matchBody, matchStatusCodes, addressPool, httpSettings })
            command.Options.Add(option);
        command.SetClientAction(gateway.DataDir, async (client, result, cancellationToken) =>
        {
            var body = new JsonObject();
            void Set(string name, JsonNode? value)
            {
                if (value is not null) body[name] = value;
            }
            Set("protocol", result.GetValue(protocol));
            Set("host", result.GetValue(host));
            Set("path", result.GetValue(path));
            Set("timeout", result.GetValue(timeout));
            Set("pickHostNameFromBackendHttpSettings", result.GetValue(hostFromSettings));
            var statusCodes = result.GetValue(matchStatusCodes) ?? [];
            if (result.GetValue(matchBody) is not null || statusCodes.Length > 0)
                body["match"] = new JsonObject
                {
                    ["body"] = result.GetValue(matchBody),
                    ["statusCodes"] = statusCodes.Length > 0 ? new JsonArray([.. statusCodes.Select(c => JsonValue.Create(c))]) : null,
                };
            Set("backendAddressPool", SubResource(client, result, gateway, "backendAddressPools", result.GetValue(addressPool)));
            Set("backendHttpSettings", SubResource(client, result, gateway, "backendHttpSettingsCollection", result.GetValue(httpSettings)));
            var started = body.Count == 0
                ? await client.SendAsync(HttpMethod.Post, gateway.Path(client, result, "/backendhealth"), cancellationToken: cancellationToken)
                : await client.SendAsync(HttpMethod.Post, gateway.Path(client, result, "/getBackendHealthOnDemand"), body, cancellationToken);
            return Output.Response(await client.ResultAsync(started, cancellationToken));
        });
        return command;
    }

    /// <summary>A name becomes the gateway's sub-resource id, as az makes it; an id stays as given.</summary>
    private static JsonObject? SubResource(ManagementClient client, ParseResult result, GatewayOptions gateway, string collection, string? nameOrId) =>
        nameOrId is null ? null : new JsonObject
        {
            ["id"] = nameOrId.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase) ? nameOrId : $"/{gateway.Id(client, result)}/{collection}/{nameOrId}",
        };

    /// <summary>The flags that name one gateway (<c>-g</c>, <c>-n</c>, <c>--api-version</c>, <c>--data-dir</c>).</summary>
    private sealed class GatewayOptions
    {
        public Option<string?> DataDir { get; } = CommonOptions.DataDir();

        private Option<string> ResourceGroup { get; } = CommonOptions.ResourceGroup();

        private Option<string> Name { get; } = CommonOptions.Name("Name of the application gateway.");

        private Option<string> ApiVersion { get; } = ApplicationGatewayCommands.ApiVersion();

        public Command Command(string name, string description) => new(name, description) { ResourceGroup, Name, ApiVersion, DataDir };

        /// <summary>The gateway's path, then <paramref name="action"/> (empty, <c>/backendhealth</c>, or a Gatehouse extension's path), then the api-version.</summary>
        public string Path(ManagementClient client, ParseResult result, string action) =>
            $"subscriptions/{client.SubscriptionId}/resourceGroups/{Uri.EscapeDataString(result.GetValue(ResourceGroup)!)}" +
            $"/providers/Microsoft.Network/applicationGateways/{Uri.EscapeDataString(result.GetValue(Name)!)}{action}" +
            $"?api-version={Uri.EscapeDataString(result.GetValue(ApiVersion)!)}";

        /// <summary>The gateway's resource id without its leading slash.</summary>
        public string Id(ManagementClient client, ParseResult result) =>
            $"subscriptions/{client.SubscriptionId}/resourceGroups/{result.GetValue(ResourceGroup)}/providers/Microsoft.Network/applicationGateways/{result.GetValue(Name)}";
    }
}
