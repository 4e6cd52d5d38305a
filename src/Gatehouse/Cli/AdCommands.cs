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
            var created = await client.SendAsync(HttpMethod.Post, "v1.0/applications", new JsonObject { ["displayName"] = result.GetValue(displayName) }, cancellationToken);
            if (!created.IsSuccess) return Output.Failure(created.Error);
            return Output.Result(new JsonObject
            {
                ["appId"] = (string?)created.Body!["appId"],
                ["password"] = (string?)created.Body["passwordCredentials"]![0]!["secretText"],
                ["tenant"] = client.TenantId,
                ["tokenEndpoint"] = new Uri(client.ManagementUrl, $"{client.TenantId}/oauth2/v2.0/token").ToString(),
            });
        });
        return command;
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
