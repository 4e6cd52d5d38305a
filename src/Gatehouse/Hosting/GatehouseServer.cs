using System.Net;
using System.Net.Security;
using Gatehouse.Control.Security;
using Gatehouse.Gateway.Authentication;
using Gatehouse.Gateway.Backends;
using Gatehouse.Control;
using Gatehouse.Gateway;
using Gatehouse.Gateway.Observability;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Hosting;

/// <summary>What <c>serve</c> runs: the management API and every deployed gateway's listeners, in one process.</summary>
public sealed class GatehouseServer : IAsyncDisposable
{
    private readonly GatewayHost gateways;
    private readonly ManagementServer management;
    private readonly EntraAuthority entraAuthority;

    private GatehouseServer(GatewayHost gateways, ManagementServer management, EntraAuthority entraAuthority)
    {
        this.gateways = gateways;
        this.management = management;
        this.entraAuthority = entraAuthority;
    }

    public Uri ManagementUrl => management.ManagementUrl;

    public IReadOnlyList<ListenerEndpoint> Endpoints => gateways.Endpoints;

    public static async Task<GatehouseServer> StartAsync(ServeSettings settings, ILoggerFactory loggerFactory, TextWriter announcements, CancellationToken cancellationToken)
    {
        var accessLog = settings.AccessLog ? AccessLogFile.PathIn(settings.DataDirectory) : null;
        IAccessLogSink[] sinks = (accessLog, settings.AccessLogToStdout) switch
        {
            (null, _) => [],
            (_, true) => [new RollingFileSink(accessLog, AccessLogFile.MaxBytes, AccessLogFile.Keep), new TextWriterSink(announcements)],
            _ => [new RollingFileSink(accessLog, AccessLogFile.MaxBytes, AccessLogFile.Keep)],
        };
        var firewallLog = accessLog is null ? null : AccessLogFile.FirewallPathIn(settings.DataDirectory);
        IAccessLogSink[] firewallSinks = firewallLog is null ? [] : [new RollingFileSink(firewallLog, AccessLogFile.MaxBytes, AccessLogFile.Keep)];
        var instanceId = ControlOptions.NewInstanceId();
        var gateways = new GatewayHost(loggerFactory, sinks, firewallSinks, instanceId, settings.Forwarding);
        // The built-in issuer is the management API, whose address is known once it listens, after the stored gateways are applied.
        var managementUrl = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entraAuthority = settings.EntraAuthority is { } authority
            ? new EntraAuthority(Task.FromResult(authority), new SocketsHttpHandler { UseProxy = false })
            : new EntraAuthority(managementUrl.Task, ManagementHandler(settings.DataDirectory));
        try
        {
            var runtime = new GatewayRuntime(gateways, settings.Environment with
            {
                EntraAuthority = entraAuthority,
                BackendNames = new BackendNames(settings.DnsServer, loggerFactory.CreateLogger<BackendNames>()),
            }, announcements);
            var management = await ManagementServer.StartAsync(
                new ControlOptions(settings.DataDirectory, settings.ManagementPort, settings.ManagementAddress ?? IPAddress.Loopback, new GatewayMonitor(gateways, accessLog, firewallLog),
                    settings.Metrics, settings.Store, settings.DataKeyFile) { InstanceId = instanceId, KeyVaultRefresh = settings.KeyVaultRefresh },
                runtime, loggerFactory, cancellationToken);
            announcements.WriteLine($"Instance: {instanceId}");
            managementUrl.SetResult(management.ManagementUrl);
            announcements.WriteLine($"Management API: {management.ManagementUrl} (CA: {Path.Combine(settings.DataDirectory, ManagementServer.CaFileName)})");
            return new GatehouseServer(gateways, management, entraAuthority);
        }
        catch
        {
            await gateways.DisposeAsync();
            entraAuthority.Dispose();
            throw;
        }
    }

    /// <summary>Reaches the management API trusting its CA, which its first start writes: read when first connecting.</summary>
    private static SocketsHttpHandler ManagementHandler(string dataDirectory)
    {
        var trust = new Lazy<SslClientAuthenticationOptions>(() => ManagementTrust.ClientOptions(dataDirectory));
        return new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                    trust.Value.RemoteCertificateValidationCallback!(sender, certificate, chain, errors),
            },
        };
    }

    public async ValueTask DisposeAsync()
    {
        await management.DisposeAsync();
        await gateways.DisposeAsync();
        entraAuthority.Dispose();
    }
}

/// <summary>
/// The settings of one <c>serve</c>: where state lives, the management port, how the data plane meets this machine,
/// whether an access log is kept (and also goes to standard output), whether metrics are exported, the OpenID
/// provider Entra JWT validation uses (null: the management API's built-in issuer), the store (null: SQLite in the
/// data directory; or a shared PostgreSQL with its data key file), and the DNS server that resolves backend FQDNs (null: the system's).
/// </summary>
public sealed record ServeSettings(string DataDirectory, int ManagementPort, GatewayEnvironment Environment, bool AccessLogToStdout = false,
    bool AccessLog = true, bool Metrics = true, Uri? EntraAuthority = null, string? Store = null, string? DataKeyFile = null,
    IPAddress? ManagementAddress = null, HttpForwarding Forwarding = HttpForwarding.Lean, IPEndPoint? DnsServer = null)
{
    /// <summary>How often Key Vault certificates are read again (<c>--key-vault-refresh</c>).</summary>
    public TimeSpan KeyVaultRefresh { get; init; } = ControlOptions.DefaultKeyVaultRefresh;
}
