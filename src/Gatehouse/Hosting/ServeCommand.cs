using System.CommandLine;
using System.Net;
using Gatehouse.Cli;
using Gatehouse.Control;
using Gatehouse.Errors;
using Gatehouse.Gateway;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Hosting;

/// <summary><c>gatehouse serve</c>: the management API and every deployed gateway, until Ctrl+C.</summary>
public static class ServeCommand
{
    public const int DefaultManagementPort = 18010;

    public static Command Build()
    {
        var dataDir = CommonOptions.DataDir();
        var managementPort = new Option<int>("--management-port") { Description = "HTTPS port of the management API (0: any free port).", DefaultValueFactory = _ => DefaultManagementPort };
        var managementAddress = new Option<string>("--management-address")
        {
            Description = "Address the management API binds to, e.g. 0.0.0.0 in a container so that its liveness probe reaches it (it always asks for a token).",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var resolve = new Option<string[]>("--resolve") { Description = "NAME=ADDRESS[:PORT]: send traffic for a backend host name or private address (a network interface's, a scale set instance's) to a local service (repeatable).", AllowMultipleArgumentsPerToken = false };
        var portMap = new Option<string[]>("--port-map") { Description = "FRONTEND=LOCAL: serve a frontend port on another local port, e.g. 444=8444 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var listenAddress = new Option<string?>("--listen-address") { Description = "Address every gateway listener binds to (default: each frontend its own local address, see --frontend)." };
        var frontend = new Option<string[]>("--frontend")
        {
            Description = "ADDRESS=LOCAL_ADDRESS: serve the frontend at a public IP's or private frontend's address on this local address (repeatable; " +
                "default: a public IP's own loopback address, 127.(128+b%128).c.d for a private a.b.c.d).",
            AllowMultipleArgumentsPerToken = false,
        };
        var accessLogStdout = new Option<bool>("--access-log-stdout") { Description = "Also print each access log line (JSON) on standard output." };
        var noAccessLog = new Option<bool>("--no-access-log") { Description = "Keep no access log (as nginx's 'access_log off')." };
        var noMetrics = new Option<bool>("--no-metrics") { Description = "Export no metrics: no /metrics and no ARM metrics route." };
        var forwarding = new Option<HttpForwarding>("--forwarding")
        {
            Description = "lean (default): HTTP/1.1 requests to plain-HTTP backends take the gateway's own forwarder; yarp: every request takes YARP's.",
            DefaultValueFactory = _ => HttpForwarding.Lean,
        };
        var store = new Option<string?>("--store")
        {
            Description = "postgres://USER@HOST:PORT/DATABASE: a store that several instances share (default: SQLite in the data directory). " +
                "The password comes from PGPASSWORD or ~/.pgpass.",
        };
        var dataKeyFile = new Option<string?>("--data-key-file")
        {
            Description = $"With --store: the file holding the instances' shared data key (32 bytes in base64; default: ${Gatehouse.Control.Security.DataKey.EnvironmentVariable}).",
        };
        var entraAuthority = new Option<Uri?>("--entra-authority")
        {
            Description = "OpenID provider for Entra JWT validation, e.g. https://login.microsoftonline.com (default: the management API's built-in issuer).",
        };
        var dnsServer = new Option<string?>("--dns-server")
        {
            Description = "ADDRESS[:PORT]: the DNS server that resolves backend pool FQDNs, each answer kept for its TTL (default: the system's, from /etc/resolv.conf; port 53).",
        };
        var keyVaultRefresh = new Option<int>("--key-vault-refresh")
        {
            Description = "Seconds between two reads of the gateways' Key Vault certificates, so that a rotated secret is served (default: 14400, every 4 hours as Azure).",
            DefaultValueFactory = _ => (int)ControlOptions.DefaultKeyVaultRefresh.TotalSeconds,
        };
        // On the option itself: a command validator reads 0 for an option left at its default.
        keyVaultRefresh.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
                result.AddError($"--key-vault-refresh {result.GetValueOrDefault<int>()} is not a number of seconds of at least 1.");
        });
        var command = new Command("serve", "Run the management API and every deployed gateway.")
        {
            dataDir, managementPort, managementAddress, resolve, portMap, listenAddress, frontend, accessLogStdout, noAccessLog, noMetrics, forwarding, entraAuthority, store, dataKeyFile, keyVaultRefresh, dnsServer,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(noAccessLog) && result.GetValue(accessLogStdout))
                result.AddError("--access-log-stdout prints the access log, which --no-access-log turns off; give one of them.");
            if (result.GetValue(dataKeyFile) is not null && result.GetValue(store) is null)
                result.AddError("--data-key-file is the key of a shared store; give --store postgres://USER@HOST:PORT/DATABASE with it.");
            if (result.GetValue(entraAuthority) is { } authority && (!authority.IsAbsoluteUri || authority.Scheme != Uri.UriSchemeHttps))
                result.AddError($"--entra-authority '{authority}' is not an absolute https URL such as https://login.microsoftonline.com.");
        });
        command.SetAction((result, cancellationToken) => Output.Guard(async () =>
        {
            var settings = new ServeSettings(
                DataDirectory.Resolve(result.GetValue(dataDir)),
                result.GetValue(managementPort),
                new GatewayEnvironment(
                    ParseResolve(result.GetValue(resolve) ?? []),
                    ParsePortMap(result.GetValue(portMap) ?? []),
                    result.GetValue(listenAddress) is { } address ? ParseAddress("--listen-address", address) : null)
                {
                    Frontends = ParseFrontends(result.GetValue(frontend) ?? []),
                },
                result.GetValue(accessLogStdout),
                AccessLog: !result.GetValue(noAccessLog),
                Metrics: !result.GetValue(noMetrics),
                EntraAuthority: result.GetValue(entraAuthority),
                Store: result.GetValue(store),
                DataKeyFile: result.GetValue(dataKeyFile),
                ManagementAddress: ParseAddress("--management-address", result.GetValue(managementAddress)!),
                Forwarding: result.GetValue(forwarding),
                DnsServer: result.GetValue(dnsServer) is { } server ? ParseDnsServer(server) : null) { KeyVaultRefresh = TimeSpan.FromSeconds(result.GetValue(keyVaultRefresh)) };
            await RunUntilStoppedAsync(settings, cancellationToken);
            return 0;
        }));
        return command;
    }

    public static async Task RunUntilStoppedAsync(ServeSettings settings, CancellationToken cancellationToken)
    {
        using var loggerFactory = Logging.Create();
        await using var server = await GatehouseServer.StartAsync(settings, loggerFactory, Console.Out, cancellationToken);
        await WaitForStopAsync(cancellationToken);
    }

    /// <summary>Waits for Ctrl+C or SIGTERM (System.CommandLine turns both into the token being cancelled).</summary>
    public static async Task WaitForStopAsync(CancellationToken cancellationToken)
    {
        try { await Task.Delay(Timeout.Infinite, cancellationToken); }
        catch (OperationCanceledException) { }
    }

    public static IReadOnlyDictionary<string, string> ParseResolve(IEnumerable<string> values) =>
        values.Select(value => Split(value, "--resolve", "NAME=ADDRESS[:PORT]"))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyDictionary<int, int> ParsePortMap(IEnumerable<string> values) =>
        values.Select(value => Split(value, "--port-map", "FRONTEND=LOCAL")).ToDictionary(
            pair => int.TryParse(pair.Key, out var frontend) && frontend is > 0 and < 65536 ? frontend : throw Invalid("--port-map", pair.Key + "=" + pair.Value, "FRONTEND=LOCAL"),
            pair => int.TryParse(pair.Value, out var local) && local is >= 0 and < 65536 ? local : throw Invalid("--port-map", pair.Key + "=" + pair.Value, "FRONTEND=LOCAL"));

    public static IReadOnlyDictionary<string, IPAddress> ParseFrontends(IEnumerable<string> values) =>
        values.Select(value => Split(value, "--frontend", "ADDRESS=LOCAL_ADDRESS")).ToDictionary(
            pair => ParseAddress("--frontend", pair.Key).ToString(), pair => ParseAddress("--frontend", pair.Value));

    /// <summary><c>ADDRESS</c> (port 53), <c>ADDRESS:PORT</c> or <c>[V6]:PORT</c>.</summary>
    public static IPEndPoint ParseDnsServer(string value) =>
        IPEndPoint.TryParse(value, out var server) && (server.Port != 0 || IPAddress.TryParse(value, out _))
            ? new IPEndPoint(server.Address, server.Port == 0 ? 53 : server.Port)
            : throw Invalid("--dns-server", value, "ADDRESS[:PORT], e.g. 127.0.0.1:5353");

    private static IPAddress ParseAddress(string option, string value) =>
        IPAddress.TryParse(value, out var address) ? address : throw Invalid(option, value, "an IP address such as 127.0.0.1");

    private static KeyValuePair<string, string> Split(string value, string option, string form)
    {
        var equals = value.IndexOf('=');
        return equals > 0 && equals < value.Length - 1
            ? new(value[..equals], value[(equals + 1)..])
            : throw Invalid(option, value, form);
    }

    private static ArmException Invalid(string option, string value, string form) =>
        new("InvalidArgument", $"{option} '{value}' is not of the form {form}.", option);
}
