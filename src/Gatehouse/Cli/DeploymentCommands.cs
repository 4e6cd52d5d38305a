using System.CommandLine;
using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Errors;

namespace Gatehouse.Cli;

/// <summary><c>gatehouse deployment group create|validate|what-if|show|list</c>, taking the same flags as <c>az deployment group</c>.</summary>
public static class DeploymentCommands
{
    private const string ApiVersion = "2021-04-01";

    public static Command Build()
    {
        var deployment = new Command("deployment", "Manage template deployments.");
        var group = new Command("group", "Deployments at resource-group scope.");
        group.Subcommands.Add(Create());
        group.Subcommands.Add(Validate());
        group.Subcommands.Add(WhatIf());
        group.Subcommands.Add(Show());
        group.Subcommands.Add(List());
        deployment.Subcommands.Add(group);
        return deployment;
    }

    /// <summary>The flags az's create, validate and what-if share: which template, with which parameters, deployed how.</summary>
    private sealed class TemplateOptions
    {
        public Option<string?> DataDir { get; } = CommonOptions.DataDir();

        public Option<string> ResourceGroup { get; } = CommonOptions.ResourceGroup();

        public Option<string> TemplateFile { get; } = new("--template-file", "-f") { Description = "Path to the template (JSON, comments allowed, or .bicep).", Required = true };

        public Option<string[]> Parameters { get; } = new("--parameters", "-p")
        {
            Description = "Parameters: @file, a .bicepparam file, NAME=VALUE or inline JSON; repeatable, later ones win.",
            AllowMultipleArgumentsPerToken = true,
        };

        public Option<string> Name { get; } = CommonOptions.Name("Name of the deployment (default: the template file's base name).", required: false);

        public Option<string> Mode { get; } = new("--mode") { Description = "Incremental or Complete.", DefaultValueFactory = _ => "Incremental" };

        public Command Command(string name, string description) => new(name, description) { ResourceGroup, TemplateFile, Parameters, Name, Mode, DataDir };

        public Task<TemplateDeployment> ReadAsync(ParseResult result, CancellationToken cancellationToken) =>
            TemplateDeployment.ReadAsync(result.GetValue(ResourceGroup)!, result.GetValue(TemplateFile)!, result.GetValue(Parameters) ?? [],
                result.GetValue(Name), result.GetValue(Mode)!, cancellationToken);
    }

    /// <summary>A deployment's path and the body az sends for it.</summary>
    private sealed record TemplateDeployment(string ResourceGroup, string Name, JsonObject Body)
    {
        public static async Task<TemplateDeployment> ReadAsync(string resourceGroup, string templateFile, IReadOnlyList<string> parameters,
            string? name, string mode, CancellationToken cancellationToken)
        {
            var template = (JsonObject)Jsonc.Parse(Bicep.IsTemplate(templateFile)
                ? await Bicep.BuildAsync(templateFile, cancellationToken)
                : await File.ReadAllTextAsync(templateFile, cancellationToken));
            var arguments = new List<string>();
            foreach (var parameter in parameters)
            {
                arguments.Add(parameter.StartsWith('@') ? await File.ReadAllTextAsync(parameter[1..], cancellationToken)
                    : Bicep.IsParameterFile(parameter) ? await Bicep.BuildParametersAsync(parameter, cancellationToken)
                    : parameter);
            }
            var body = new JsonObject
            {
                ["properties"] = new JsonObject
                {
                    ["mode"] = mode,
                    ["template"] = template,
                    ["parameters"] = ParameterArguments.Merge(template, arguments),
                },
            };
            return new TemplateDeployment(resourceGroup, name ?? System.IO.Path.GetFileNameWithoutExtension(templateFile), body);
        }

        public string Path(ManagementClient client, string action = "") => DeploymentPath(client, ResourceGroup, Name, action);
    }

    private static string DeploymentPath(ManagementClient client, string resourceGroup, string name, string action = "") =>
        $"subscriptions/{client.SubscriptionId}/resourcegroups/{Uri.EscapeDataString(resourceGroup)}/providers/Microsoft.Resources/deployments/"
        + $"{Uri.EscapeDataString(name)}{action}?api-version={ApiVersion}";

    private static Command Create()
    {
        var options = new TemplateOptions();
        var command = options.Command("create", "Deploy a template to a resource group.");
        command.SetClientAction(options.DataDir, async (client, result, cancellationToken) =>
            Output.Result(await CreateAsync(client, await options.ReadAsync(result, cancellationToken), cancellationToken)));
        return command;
    }

    /// <summary>Deploys and waits for the outcome; throws <see cref="ArmException"/> with the deployment's error when it fails.</summary>
    public static async Task<JsonNode?> CreateAsync(ManagementClient client, string resourceGroup, string templateFile,
        IReadOnlyList<string> parameters, string? name, string mode, CancellationToken cancellationToken) =>
        await CreateAsync(client, await TemplateDeployment.ReadAsync(resourceGroup, templateFile, parameters, name, mode, cancellationToken), cancellationToken);

    private static async Task<JsonNode?> CreateAsync(ManagementClient client, TemplateDeployment deployment, CancellationToken cancellationToken)
    {
        var started = await client.SendAsync(HttpMethod.Put, deployment.Path(client), deployment.Body, cancellationToken);
        if (!started.IsSuccess) throw new ArmException(started.Error);
        if (started.AsyncOperation is not null)
        {
            var outcome = await client.WaitAsync(started, cancellationToken);
            if ((string?)outcome["status"] != "Succeeded") throw new ArmException(ArmError.FromJson(outcome["error"]));
        }
        var deployed = await client.SendAsync(HttpMethod.Get, deployment.Path(client), cancellationToken: cancellationToken);
        return deployed.IsSuccess ? deployed.Body : throw new ArmException(deployed.Error);
    }

    private static Command Validate()
    {
        var options = new TemplateOptions();
        var command = options.Command("validate", "Validate whether a template is valid at resource-group scope.");
        command.SetClientAction(options.DataDir, async (client, result, cancellationToken) =>
        {
            var deployment = await options.ReadAsync(result, cancellationToken);
            return Output.Response(await client.SendAsync(HttpMethod.Post, deployment.Path(client, "/validate"), deployment.Body, cancellationToken));
        });
        return command;
    }

    /// <summary>Prints the what-if result as JSON, as <c>az deployment group what-if --no-pretty-print</c> does.</summary>
    private static Command WhatIf()
    {
        var options = new TemplateOptions();
        var command = options.Command("what-if", "Show what a deployment at resource-group scope would change.");
        command.SetClientAction(options.DataDir, async (client, result, cancellationToken) =>
        {
            var deployment = await options.ReadAsync(result, cancellationToken);
            deployment.Body["properties"]!["whatIfSettings"] = new JsonObject { ["resultFormat"] = "FullResourcePayloads" };
            var started = await client.SendAsync(HttpMethod.Post, deployment.Path(client, "/whatIf"), deployment.Body, cancellationToken);
            return Output.Response(await client.ResultAsync(started, cancellationToken));
        });
        return command;
    }

    private static Command Show()
    {
        var dataDir = CommonOptions.DataDir();
        var resourceGroup = CommonOptions.ResourceGroup();
        var name = CommonOptions.Name("Name of the deployment.");
        var command = new Command("show", "Show a deployment at resource-group scope.") { resourceGroup, name, dataDir };
        command.SetClientAction(dataDir, async (client, result, cancellationToken) => Output.Response(await client.SendAsync(HttpMethod.Get,
            DeploymentPath(client, result.GetValue(resourceGroup)!, result.GetValue(name)!), cancellationToken: cancellationToken)));
        return command;
    }

    private static Command List()
    {
        var dataDir = CommonOptions.DataDir();
        var resourceGroup = CommonOptions.ResourceGroup();
        var command = new Command("list", "List the deployments of a resource group.") { resourceGroup, dataDir };
        command.SetClientAction(dataDir, async (client, result, cancellationToken) => Output.List(await client.SendAsync(HttpMethod.Get,
            $"subscriptions/{client.SubscriptionId}/resourcegroups/{Uri.EscapeDataString(result.GetValue(resourceGroup)!)}/providers/Microsoft.Resources/deployments/?api-version={ApiVersion}",
            cancellationToken: cancellationToken)));
        return command;
    }
}
