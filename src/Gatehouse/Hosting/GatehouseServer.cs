using System.Net;
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

    private GatehouseServer(GatewayHost gateways, ManagementServer management)
    {
        this.gateways = gateways;
        this.management = management;
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
        var gateways = new GatewayHost(loggerFactory, sinks, firewallSinks);
        try
        {
            var runtime = new GatewayRuntime(gateways, settings.Environment, announcements);
            var management = await ManagementServer.StartAsync(
                new ControlOptions(settings.DataDirectory, settings.ManagementPort, IPAddress.Loopback, new GatewayMonitor(gateways, accessLog, firewallLog),
                    settings.Metrics),
                runtime, loggerFactory, cancellationToken);
            announcements.WriteLine($"Management API: {management.ManagementUrl} (CA: {Path.Combine(settings.DataDirectory, ManagementServer.CaFileName)})");
            return new GatehouseServer(gateways, management);
        }
        catch
        {
            await gateways.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await management.DisposeAsync();
        await gateways.DisposeAsync();
    }
}

/// <summary>
/// The settings of one <c>serve</c>: where state lives, the management port, how the data plane meets this machine,
/// whether an access log is kept (and also goes to standard output), and whether metrics are exported.
/// </summary>
public sealed record ServeSettings(string DataDirectory, int ManagementPort, GatewayEnvironment Environment, bool AccessLogToStdout = false,
    bool AccessLog = true, bool Metrics = true);
