using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using Gatehouse.Cli;
using Gatehouse.Errors;
using Gatehouse.Gateway;
using Gatehouse.Hosting;

namespace Gatehouse.Demo;

/// <summary>
/// <c>gatehouse up</c>: the reference scenario in one command. Makes demo certificates, starts an echo backend
/// in place of the template's App Service, serves, registers an API and a client with the built-in Entra-compatible
/// issuer, deploys the mixed-traffic example (the client certificate forwarded, Entra tokens validated under Allow),
/// and prints what to try.
/// </summary>
public static class UpCommand
{
    public const string ResourceGroup = "gatehouse-demo";
    public const string GatewayName = "mtlsAppGw";
    public const int FrontendPort = 444;

    /// <summary>The App Service host the example's backend pool names; the demo points it at the echo backend.</summary>
    public const string ExampleBackendHost = "headerappgw-hsa5gjh8fpfebcfd.westus-01.azurewebsites.net";

    public static string ExampleDirectory => Path.Combine(AppContext.BaseDirectory, "examples", "mtls-passthrough");

    public static Command Build()
    {
        var dataDir = new Option<string?>("--data-dir") { Description = "State directory (default: a new temporary directory)." };
        var port = new Option<int>("--port") { Description = $"Local port for the template's frontend port {FrontendPort} (0: any free port).", DefaultValueFactory = _ => 8444 };
        var managementPort = new Option<int>("--management-port") { Description = "HTTPS port of the management API (0: any free port).", DefaultValueFactory = _ => 0 };
        var keep = new Option<bool>("--keep") { Description = "Keep what up created in the data directory (keys and secrets included) when it stops." };
        var command = new Command("up", "Run the mTLS Passthrough demo: certificates, echo backend, gateway, deployment.") { dataDir, port, managementPort, keep };
        command.SetAction((result, cancellationToken) => Output.Guard(async () =>
        {
            var directory = DemoDirectory.Track(result.GetValue(dataDir) is { } given
                ? Path.GetFullPath(given)
                : Path.Combine(Path.GetTempPath(), "gatehouse-up-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()));
            try
            {
                await RunAsync(directory.Path, result.GetValue(port), result.GetValue(managementPort), cancellationToken);
            }
            finally
            {
                // After the server has stopped, so that no file is still open; on a failed start too.
                if (result.GetValue(keep))
                {
                    Console.WriteLine($"Kept {directory.Path}.");
                }
                else
                {
                    directory.RemoveCreated();
                    Console.WriteLine($"Removed what the demo created in {directory.Path} (--keep keeps it).");
                }
            }
            return 0;
        }));
        return command;
    }

    private static async Task RunAsync(string directory, int port, int managementPort, CancellationToken cancellationToken)
    {
        var certificates = DemoCertificates.Create(Path.Combine(directory, "demo"));
        await using var backend = await EchoBackend.StartAsync(cancellationToken: cancellationToken);
        Console.WriteLine($"Echo backend: http://{backend.EndPoint} (stands in for {ExampleBackendHost})");

        var settings = new ServeSettings(directory, managementPort, new GatewayEnvironment(
            new Dictionary<string, string> { [ExampleBackendHost] = backend.EndPoint.ToString() },
            new Dictionary<int, int> { [FrontendPort] = port },
            IPAddress.Loopback));
        using var loggerFactory = Logging.Create();
        await using var server = await GatehouseServer.StartAsync(settings, loggerFactory, Console.Out, cancellationToken);

        RegisteredApplication api, tokenClient;
        using (var client = ManagementClient.Connect(directory))
        {
            var group = await client.SendAsync(HttpMethod.Put, GroupCommands.Path(client, ResourceGroup),
                new System.Text.Json.Nodes.JsonObject { ["location"] = "local" }, cancellationToken);
            if (!group.IsSuccess) throw new ArmException(group.Error);
            api = await AdCommands.CreateAppAsync(client, "demo-api", cancellationToken);
            tokenClient = await AdCommands.CreateAppAsync(client, "demo-client", cancellationToken);
            await DeploymentCommands.CreateAsync(client, ResourceGroup,
                Path.Combine(ExampleDirectory, "deploymentTemplate.mixed-traffic.json"),
                [
                    "@" + Path.Combine(ExampleDirectory, "deploymentParameters.json"),
                    "certData=" + Convert.ToBase64String(await File.ReadAllBytesAsync(certificates.ServerPfx, cancellationToken)),
                    "certPassword=" + certificates.PfxPassword,
                    "adminSSHKey=ssh-ed25519 " + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + " gatehouse-demo",
                    "entraTenantId=" + api.Tenant,
                    "entraClientId=" + api.AppId,
                    "unAuthorizedRequestAction=Allow",
                ],
                "mtls-passthrough", "Incremental", cancellationToken);
        }

        var listener = server.Endpoints.First(e => e.FrontendPort == FrontendPort);
        Console.WriteLine(Instructions(directory, certificates, listener.LocalEndPoint.Port, api, tokenClient));
        await ServeCommand.WaitForStopAsync(cancellationToken);
    }

    private static string Instructions(string directory, DemoCertificates c, int port, RegisteredApplication api, RegisteredApplication client)
    {
        var url = $"https://localhost:{port}/";
        var token = $"$(curl --cacert {Path.Combine(directory, Control.ManagementServer.CaFileName)} {client.TokenEndpoint} " +
            $"-d grant_type=client_credentials -d client_id={client.AppId} -d client_secret={client.Password} -d scope=api://{api.AppId}/.default " +
            "| sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')";
        return $"""

            Deployed {GatewayName} (mTLS Passthrough on frontend port {FrontendPort}, served at {url}), with Entra JWT validation
            under Allow: certificate clients and token clients share the listener. The backend echoes the headers it received;
            X-Client-Cert* come from the rewrite rule set, x-msft-entra-identity (tenant:object id) from a valid token.

            Neither a certificate nor a token (served; the backend sees neither and can refuse):
              curl --cacert {c.CaPem} {url}
            A client certificate (forwarded; verification PASSTHROUGH):
              curl --cacert {c.CaPem} --cert {c.ClientPem} --key {c.ClientKey} {url}
            A token client: a token from the built-in issuer (the backend sees x-msft-entra-identity):
              curl --cacert {c.CaPem} -H "Authorization: Bearer {token}" {url}
            An expired one and a self-signed one (Passthrough never rejects; the backend decides):
              curl --cacert {c.CaPem} --cert {c.ExpiredClientPem} --key {c.ExpiredClientKey} {url}
              curl --cacert {c.CaPem} --cert {c.SelfSignedClientPem} --key {c.SelfSignedClientKey} {url}
            Forged certificate and identity headers without a certificate or token (never reach the backend):
              curl --cacert {c.CaPem} -H 'X-Client-Cert: forged' -H 'x-msft-entra-identity: forged' {url}
            The gateway as the API returns it:
              dotnet run --project src/Gatehouse -- network application-gateway show -g {ResourceGroup} -n {GatewayName} --data-dir {directory}

            Press Ctrl+C to stop.
            """;
    }
}
