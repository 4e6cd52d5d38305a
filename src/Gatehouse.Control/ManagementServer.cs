using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Control.Api;
using Gatehouse.Control.Deployments;
using Gatehouse.Control.Instances;
using Gatehouse.Control.KeyVault;
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
using OpenTelemetry.Resources;

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
    private readonly IResourceStore _store;
    private readonly RunningInstance _instance;
    private readonly X509Certificate2 _certificate;
    private readonly string _dataDirectory;
    private int _disposed;

    private ManagementServer(WebApplication app, DeploymentEngine engine, IResourceStore store, RunningInstance instance, X509Certificate2 certificate,
        string dataDirectory, Uri managementUrl, Credentials credentials)
    {
        _app = app;
        _engine = engine;
        _store = store;
        _instance = instance;
        _certificate = certificate;
        _dataDirectory = dataDirectory;
        ManagementUrl = managementUrl;
        Credentials = credentials;
    }

    /// <summary>For example <c>https://127.0.0.1:PORT/</c>; its CA certificate is <c>management-ca.pem</c> in the data directory.</summary>
    public Uri ManagementUrl { get; }

    public Credentials Credentials { get; }

    /// <summary>This instance's name among those sharing the store (in its access log, metrics and portal).</summary>
    public string InstanceId => _instance.Id;

    public static async Task<ManagementServer> StartAsync(ControlOptions options, IGatewayRuntime runtime, ILoggerFactory loggerFactory, CancellationToken ct = default)
    {
        var directory = Path.GetFullPath(options.DataDirectory);
        PrivateFile.CreateDirectory(directory);
        var logger = loggerFactory.CreateLogger<ManagementServer>();
        var instanceId = options.InstanceId;
        var (store, encryption) = OpenStore(options, directory, instanceId, loggerFactory.CreateLogger<IResourceStore>());
        var credentials = options.Store is null ? Credentials.Load(directory) : Credentials.Shared(directory, encryption);
        var tokens = options.Store is null
            ? TokenIssuer.Open(directory, credentials.ClientId)
            : new TokenIssuer(encryption.Derive("gatehouse token signing"), credentials.ClientId);
        var certificate = ManagementCertificates.LoadOrCreate(directory);
        var entra = new EntraIssuer(credentials.TenantId, EntraSigningKeys.Open(directory), store, TimeProvider.System);
        var keys = new AccessKeys(encryption.Derive("gatehouse access keys"), encryption.Created);
        var engine = new DeploymentEngine(store, runtime, credentials, keys, loggerFactory.CreateLogger<DeploymentEngine>());
        var instance = new RunningInstance(store, engine, runtime, instanceId, options.KeyVaultRefresh, loggerFactory.CreateLogger<RunningInstance>());
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
        builder.Services.AddSingleton(credentials).AddSingleton(tokens).AddSingleton(entra).AddSingleton(store).AddSingleton(engine).AddSingleton(instance).AddSingleton<OperationResults>().AddSingleton<ResourceOperations>()
            .AddSingleton(runtime).AddSingleton<PortalSessions>().AddSignInRateLimit();
        if (options.Monitor is { } monitor) builder.Services.AddSingleton(monitor);
        if (options is { Monitor: { } measured, ExportMetrics: true })
        {
            builder.Services.AddSingleton(_ => new MetricReadings(measured.MeterName, measured.ResourceIdDimension))
                .AddSingleton(TimeProvider.System)
                .AddSingleton(services => new MetricHistory(services.GetRequiredService<MetricReadings>(), services.GetRequiredService<TimeProvider>()));
            // target_info names the instance, as OpenTelemetry names a service's instances.
            builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("gatehouse", serviceInstanceId: instanceId))
                .WithMetrics(metrics => metrics.AddMeter(measured.MeterName)
                // Every scrape reads the instruments afresh, so two scrapes around known traffic differ by exactly that traffic.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        }
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(options.ManagementAddress, options.ManagementPort, listen => listen.UseVaultTunnel().UseHttps(certificate)));
        var app = builder.Build();
        app.UseLenientPaths();
        app.UseArmErrors();
        app.UseRouting();
        app.UseRateLimiter();
        app.MapTokenEndpoints();
        app.MapKeyVaultEndpoints();
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
        subscription.MapInstanceEndpoints();
        subscription.MapLocalAddressEndpoints();
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
        instance.Start(managementUrl);
        logger.LogInformation("Management API listening on {ManagementUrl} (CA certificate: {CaFile}); instance {InstanceId}",
            managementUrl, Path.Combine(directory, CaFileName), instanceId);
        return new ManagementServer(app, engine, store, instance, certificate, directory, managementUrl, credentials);
    }

    /// <summary>SQLite in the data directory with the directory's own key, or the shared PostgreSQL store with the instances' key.</summary>
    private static (IResourceStore Store, StoreEncryption Encryption) OpenStore(ControlOptions options, string directory, string instanceId, ILogger logger)
    {
        if (options.Store is null)
        {
            var encryption = StoreEncryption.Open(directory);
            return (SqliteResourceStore.Open(directory, encryption, instanceId), encryption);
        }
        var store = PostgresResourceStore.Open(options.Store, DataKey.Read(options.DataKeyFile), instanceId, logger);
        return (store, store.Encryption);
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
        await _instance.DisposeAsync();
        await _engine.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _store.Dispose();
        _certificate.Dispose();
        ServeRegistration.Delete(_dataDirectory);
    }
}
