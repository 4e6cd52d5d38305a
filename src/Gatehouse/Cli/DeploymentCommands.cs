using System.CommandLine;
using System.Text.Json.Nodes;
using Gatehouse.Arm;

namespace Gatehouse.Cli;

/// <summary><c>gatehouse deployment group create</c>, taking the same flags as <c>az deployment group create</c>.</summary>
public static class DeploymentCommands
{
    private const string ApiVersion = "2021-04-01";

    public static Command Build()
    {
        var deployment = new Command("deployment", "Manage template deployments.");
        var group = new Command("group", "Deployments at resource-group scope.");
        group.Subcommands.Add(Create());
        deployment.Subcommands.Add(group);
        return deployment;
    }

    private static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var resourceGroup = CommonOptions.ResourceGroup();
        var templateFile = new Option<string>("--template-file", "-f") { Description = "Path to the template (JSON, comments allowed).", Required = true };
        var parameters = new Option<string[]>("--parameters", "-p")
        {
            Description = "Parameters: @file, NAME=VALUE or inline JSON; repeatable, later ones win.",
            AllowMultipleArgumentsPerToken = true,
        };
        var name = CommonOptions.Name("Name of the deployment (default: the template file's base name).", required: false);
        var mode = new Option<string>("--mode") { Description = "Incremental or Complete.", DefaultValueFactory = _ => "Incremental" };
        var command = new Command("create", "Deploy a template to a resource group.") { resourceGroup, templateFile, parameters, name, mode, dataDir };
        command.SetClientAction(dataDir, async (client, result, cancellationToken) =>
        {
            var deployed = await CreateAsync(client, result.GetValue(resourceGroup)!, result.GetValue(templateFile)!,
                result.GetValue(parameters) ?? [], result.GetValue(name), result.GetValue(mode)!, cancellationToken);
            return Output.Result(deployed);
        });
        return command;
    }

    /// <summary>Deploys and waits for the outcome; throws <see cref="ArmException"/> with the deployment's error when it fails.</summary>
    public static async Task<JsonNode?> CreateAsync(ManagementClient client, string resourceGroup, string templateFile,
        IReadOnlyList<string> parameters, string? name, string mode, CancellationToken cancellationToken)
    {
        var template = (JsonObject)Jsonc.Parse(await File.ReadAllTextAsync(templateFile, cancellationToken));
        var arguments = new List<string>();
        foreach (var parameter in parameters)
            arguments.Add(parameter.StartsWith('@') ? await File.ReadAllTextAsync(parameter[1..], cancellationToken) : parameter);

        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["mode"] = mode,
                ["template"] = template,
                ["parameters"] = ParameterArguments.Merge(template, arguments),
            },
        };
        name ??= Path.GetFileNameWithoutExtension(templateFile);
        var path = $"subscriptions/{client.SubscriptionId}/resourcegroups/{Uri.EscapeDataString(resourceGroup)}/providers/Microsoft.Resources/deployments/{Uri.EscapeDataString(name)}?api-version={ApiVersion}";

        var started = await client.SendAsync(HttpMethod.Put, path, body, cancellationToken);
        if (!started.IsSuccess) throw new ArmException(started.Error);
        if (started.AsyncOperation is not null)
        {
            var outcome = await client.WaitAsync(started, cancellationToken);
            if ((string?)outcome["status"] != "Succeeded") throw new ArmException(ArmError.FromJson(outcome["error"]));
        }
        var deployed = await client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken);
        return deployed.IsSuccess ? deployed.Body : throw new ArmException(deployed.Error);
    }
}
