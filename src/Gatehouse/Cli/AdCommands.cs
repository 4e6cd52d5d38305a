using System.CommandLine;
using System.Text.Json.Nodes;

namespace Gatehouse.Cli;

/// <summary>
/// <c>gatehouse ad app create</c>: registers an application with the local Entra-compatible issuer and prints what
/// <c>az ad app create</c> followed by <c>az ad app credential reset</c> gives; <c>gatehouse ad signing-key rotate</c>
/// starts a signing key rollover.
/// </summary>
public static class AdCommands
{
    public static Command Build()
    {
        var ad = new Command("ad", "Manage the local Entra ID compatible issuer.");
        var app = new Command("app", "Manage application registrations.");
        app.Subcommands.Add(CreateApp());
        ad.Subcommands.Add(app);
        var signingKey = new Command("signing-key", "Manage the issuer's token signing keys.");
        signingKey.Subcommands.Add(RotateKey());
        ad.Subcommands.Add(signingKey);
        return ad;
    }

    private static Command CreateApp()
    {
        var dataDir = CommonOptions.DataDir();
        var displayName = new Option<string>("--display-name") { Description = "Display name of the application.", Required = true };
        var command = new Command("create", "Register an application with a password: prints appId, password, tenant and tokenEndpoint.")
        {
            displayName, Json(), dataDir,
        };
        command.SetClientAction(dataDir, async (client, result, cancellationToken) =>
        {
            var created = await CreateAppAsync(client, result.GetValue(displayName)!, cancellationToken);
            return Output.Result(new JsonObject
            {
                ["appId"] = created.AppId,
                ["password"] = created.Password,
                ["tenant"] = created.Tenant,
                ["tokenEndpoint"] = created.TokenEndpoint,
            });
        });
        return command;
    }

    /// <summary>Registers an application with a password at the issuer of the <c>serve</c> that <paramref name="client"/> talks to.</summary>
    public static async Task<RegisteredApplication> CreateAppAsync(ManagementClient client, string displayName, CancellationToken cancellationToken)
    {
        var created = await client.SendAsync(HttpMethod.Post, "v1.0/applications", new JsonObject { ["displayName"] = displayName }, cancellationToken);
        if (!created.IsSuccess) throw new Errors.ArmException(created.Error);
        return new RegisteredApplication(
            (string)created.Body!["appId"]!,
            (string)created.Body["passwordCredentials"]![0]!["secretText"]!,
            client.TenantId,
            new Uri(client.ManagementUrl, $"{client.TenantId}/oauth2/v2.0/token").ToString());
    }

    private static Command RotateKey()
    {
        var dataDir = CommonOptions.DataDir();
        var command = new Command("rotate", "Sign with a new key from now on; the previous key stays published, the one before it is retired.")
        {
            Json(), dataDir,
        };
        command.SetClientAction(dataDir, async (client, _, cancellationToken) =>
            Output.Response(await client.SendAsync(HttpMethod.Post, $"{client.TenantId}/discovery/v2.0/keys/rotate", cancellationToken: cancellationToken)));
        return command;
    }

    /// <summary>az's <c>--output</c>; these commands print JSON, its default.</summary>
    private static Option<string> Json()
    {
        var output = new Option<string>("--output", "-o") { Description = "json.", DefaultValueFactory = _ => "json" };
        output.AcceptOnlyFromAmong("json");
        return output;
    }
}

/// <summary>What <c>gatehouse ad app create</c> prints: the shape of <c>az ad app create</c> plus <c>az ad app credential reset</c>.</summary>
public sealed record RegisteredApplication(string AppId, string Password, string Tenant, string TokenEndpoint);
