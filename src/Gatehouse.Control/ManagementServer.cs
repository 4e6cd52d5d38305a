using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Control.Api;
using Gatehouse.Control.Deployments;
using Gatehouse.Control.Entra;
using Gatehouse.Control.Monitoring;
using Gatehouse.Control.Portal;
using Gatehouse.Control.Security;
using Gatehouse.Control.Store;
using Gatehouse.Network;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using OpenTelemetry.Metrics;

namespace Gatehouse.Control;

/// <summary>
/// The control plane: the store in the data directory, the deployment engine, and the ARM-compatible management API
/// over HTTPS. Starting it re-applies the stored gateways, so that they serve again after a restart without a redeploy.
/// </summary>
public sealed class ManagementServer : IAsyncDisposable
{
    /// <summary>The management API's CA certificate in the data directory: what clients trust.</summary>
    public const string CaFileName = ManagementCertificates.CaFileName;

    private readonly WebApplication _app;
    private readonly DeploymentEngine _engine;
    private readonly ResourceStore _store;
    private readonly X509Certificate2 _certificate;
    private readonly string _dataDirectory;
    private int _disposed;

    private ManagementServer(WebApplication app, DeploymentEngine engine, ResourceStore store, X509Certificate2 certificate, string dataDirectory, Uri managementUrl, Credentials credentials)
    {
        _app = app;
        _engine = engine;
        _store = store;
        _certificate = certificate;
        _dataDirectory = dataDirectory;
        ManagementUrl = managementUrl;
        Credentials = credentials;
    }

    /// <summary>For example <c>https://127.0.0.1:PORT/</c>; its CA certificate is <c>management-ca.pem</c> in the data directory.</summary>
    public Uri ManagementUrl { get; }

    public Credentials Credentials { get; }

    public static async Task<ManagementServer> StartAsync(ControlOptions options, IGatewayRuntime runtime, ILoggerFactory loggerFactory, CancellationToken ct = default)
    {
        var directory = Path.GetFullPath(options.DataDirectory);
        PrivateFile.CreateDirectory(directory);
        var logger = loggerFactory.CreateLogger<ManagementServer>();
        var credentials = Credentials.Load(directory);
        var tokens = TokenIssuer.Open(directory, credentials.ClientId);
        var encryption = StoreEncryption.Open(directory);
        var store = ResourceStore.Open(directory, encryption);
        var certificate = ManagementCertificates.LoadOrCreate(directory);
        var entra = new EntraIssuer(credentials.TenantId, EntraSigningKeys.Open(directory), store, TimeProvider.System);
        var keys = new AccessKeys(encryption.Derive("gatehouse access keys"), encryption.Created);
        var engine = new DeploymentEngine(store, runtime, credentials, keys, loggerFactory.CreateLogger<DeploymentEngine>());
        try
        {
            await engine.StartAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The management API still starts, so that the stored configuration can be fixed by a new deployment.
            logger.LogError(e, "The stored application gateways could not be applied to the runtime");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = directory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(credentials).AddSingleton(tokens).AddSingleton(entra).AddSingleton(store).AddSingleton(engine).AddSingleton<OperationResults>().AddSingleton<ResourceOperations>()
            .AddSingleton(runtime).AddSingleton<PortalSessions>().AddSignInRateLimit();
        if (options.Monitor is { } monitor) builder.Services.AddSingleton(monitor);
        if (options is { Monitor: { } measured, ExportMetrics: true })
        {
            builder.Services.AddSingleton(_ => new MetricReadings(measured.MeterName, measured.ResourceIdDimension))
                .AddSingleton(TimeProvider.System)
                .AddSingleton(services => new MetricHistory(services.GetRequiredService<MetricReadings>(), services.GetRequiredService<TimeProvider>()));
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(measured.MeterName)
                // Every scrape reads the instruments afresh, so two scrapes around known traffic differ by exactly that traffic.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        }
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(options.ManagementAddress, options.ManagementPort, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        app.UseLenientPaths();
        app.UseArmErrors();
        app.UseRouting();
        app.UseRateLimiter();
        app.MapTokenEndpoints();
        app.MapPortal();
        app.MapEntraEndpoints(app.MapGroup("").RequireArmToken());
        var arm = app.MapGroup("").RequireArmToken().RequireApiVersion();
        var subscription = arm.MapGroup("/subscriptions/{subscriptionId}").RequireKnownSubscription();
        arm.MapSubscriptionEndpoints(subscription);
        subscription.MapResourceGroupEndpoints();
        subscription.MapDeploymentEndpoints();
        subscription.MapResourceEndpoints();
        subscription.MapNetworkDiscoveryEndpoints();
        subscription.MapBackendHealthEndpoints();
        subscription.MapGatewayActionEndpoints();
        OperationResults.MapOperationResultEndpoints(subscription);
        ResourceOperations.MapResourceOperationEndpoints(subscription);
        if (options is { Monitor: not null, ExportMetrics: true })
        {
            // Created now, so that totals and history start with the server rather than with the first query.
            app.Services.GetRequiredService<MetricHistory>();
            // Without a token, as Prometheus scrapes: the management API listens on loopback only, and no metric label
            // carries a secret.
            app.MapPrometheusScrapingEndpoint("/metrics");
            subscription.MapMetricsEndpoints();
        }
        await app.StartAsync(ct);

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        var managementUrl = new UriBuilder(Uri.UriSchemeHttps, Host(options.ManagementAddress), bound.Port, "/").Uri;
        ServeRegistration.Write(directory, managementUrl);
        logger.LogInformation("Management API listening on {ManagementUrl} (CA certificate: {CaFile})", managementUrl, Path.Combine(directory, CaFileName));
        return new ManagementServer(app, engine, store, certificate, directory, managementUrl, credentials);
    }

    // A wildcard address is reached through loopback; the server certificate covers 127.0.0.1, ::1 and localhost.
    private static string Host(IPAddress address) =>
        address.Equals(IPAddress.Any) ? IPAddress.Loopback.ToString()
        : address.Equals(IPAddress.IPv6Any) ? $"[{IPAddress.IPv6Loopback}]"
        : address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]"
        : address.ToString();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _engine.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _store.Dispose();
        _certificate.Dispose();
        ServeRegistration.Delete(_dataDirectory);
    }
}
