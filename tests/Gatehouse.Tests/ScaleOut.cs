using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gatehouse.Demo;
using Gatehouse.Tests.Support;

namespace Gatehouse.Tests;

/// <summary>
/// Three <c>gatehouse serve</c> instances on one PostgreSQL (a temporary cluster), behind HAProxy in TCP mode with health
/// checks, as Azure's load balancer stands in front of a gateway's instances. Each instance serves the example gateway
/// on a port of its own; HAProxy's frontend is what clients use. The first deployment goes through instance 1 while
/// instance 1 and 3 are watched, to measure how long instance 3 takes to serve it.
/// </summary>
public sealed class ScaleOut : IAsyncLifetime
{
    public const string Group = "rg1";
    private const int Instances = 3;

    private readonly string _directory = Directory.CreateTempSubdirectory("gatehouse-scale-").FullName;
    private readonly int[] _ports = Enumerable.Range(0, Instances).Select(_ => GatehouseProcess.FreePort()).ToArray();
    private readonly RunningGatehouse?[] _serves = new RunningGatehouse?[Instances];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private EchoBackend _backend = null!;
    private Process _haproxy = null!;
    private string _store = null!;

    public TemporaryPostgres Postgres { get; private set; } = null!;

    public DemoCertificates Certificates { get; private set; } = null!;

    public int Frontend { get; } = GatehouseProcess.FreePort();

    /// <summary>From the moment instance 1 served the first deployment to the moment instance 3 did.</summary>
    public TimeSpan Propagation { get; private set; }

    public string DataDirectory(int instance) => Path.Combine(_directory, $"instance{instance}");

    public string KeyFile => Path.Combine(_directory, "data.key");

    /// <summary>The example, whose gateway asks for as many instances as its (otherwise unused) 'capacity' parameter says.</summary>
    private string TemplateFile => Path.Combine(_directory, "template.json");

    public async Task InitializeAsync()
    {
        Postgres = await TemporaryPostgres.StartAsync();
        _store = await Postgres.CreateDatabaseAsync();
        File.WriteAllText(KeyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        Certificates = DemoCertificates.Create(Path.Combine(_directory, "certs"));
        var template = JsonNode.Parse(File.ReadAllText(GatehouseProcess.Example("deploymentTemplate.forward-certificate.json")))!;
        template["resources"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Network/applicationGateways")!
            ["properties"]!["sku"]!["capacity"] = "[parameters('capacity')]";
        File.WriteAllText(TemplateFile, template.ToJsonString());
        _backend = await EchoBackend.StartAsync();
        await Task.WhenAll(Enumerable.Range(1, Instances).Select(StartInstanceAsync));
        _haproxy = StartHaproxy();

        var created = await GatehouseProcess.RunGatehouseAsync("group", "create", "--name", Group, "--location", "local", "--data-dir", DataDirectory(1));
        Assert.True(created.ExitCode == 0, created.ToString());
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var first = FirstServedAsync(1, watching.Token);
        var third = FirstServedAsync(3, watching.Token);
        var deployed = await DeployAsync(1, "first");
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        try
        {
            Propagation = await third - await first;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Instances 1 and 3 did not both serve the first deployment within 60 s.\n" +
                $"Instance 1:\n{Output(1)}\nInstance 3:\n{Output(3)}");
        }
    }

    /// <summary>Starts (or restarts) instance <paramref name="instance"/> and waits for its management API.</summary>
    public async Task StartInstanceAsync(int instance)
    {
        Directory.CreateDirectory(DataDirectory(instance));
        _serves[instance - 1] = await RunningGatehouse.StartAsync("Management API:",
            "serve", "--data-dir", DataDirectory(instance), "--management-port", "0",
            "--store", _store, "--data-key-file", KeyFile,
            "--resolve", $"{UpCommand.ExampleBackendHost}={_backend.EndPoint}", "--port-map", $"444={_ports[instance - 1]}");
    }

    public Task KillInstanceAsync(int instance) => _serves[instance - 1]!.StopAsync(abruptly: true);

    public string Output(int instance) => _serves[instance - 1]!.Output;

    /// <summary>The example deployed through instance <paramref name="instance"/>'s command line, with <paramref name="capacity"/> instances asked for.</summary>
    public Task<Completed> DeployAsync(int instance, string name, int capacity = Instances) => GatehouseProcess.RunGatehouseAsync(
    [
        "deployment", "group", "create", "--resource-group", Group, "--name", name, "--data-dir", DataDirectory(instance),
        "--template-file", TemplateFile,
        .. DeployedGateway.ExampleParameters(Convert.ToBase64String(File.ReadAllBytes(Certificates.ServerPfx)), Certificates.PfxPassword),
        $"capacity={capacity}",
    ]);

    /// <summary><c>gatehouse instance list</c> through instance <paramref name="instance"/>.</summary>
    public async Task<JsonObject> InstancesAsync(int instance)
    {
        var listed = await GatehouseProcess.RunGatehouseAsync("instance", "list", "--data-dir", DataDirectory(instance));
        Assert.True(listed.ExitCode == 0, listed.ToString());
        return JsonNode.Parse(listed.Stdout)!.AsObject();
    }

    /// <summary>Waits until every live instance reports the store's revision; returns that revision.</summary>
    public async Task<long> ConvergedAsync(int through, int live = Instances)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var view = await InstancesAsync(through);
            var revision = view["storeRevision"]!.GetValue<long>();
            var running = view["value"]!.AsArray().Where(i => i!["state"]!.GetValue<string>() == "Running").ToList();
            if (running.Count == live && running.All(i => i!["revision"]!.GetValue<long>() == revision)) return revision;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The instances did not converge: {view}");
            await Task.Delay(250);
        }
    }

    /// <summary>A client of the gateway that trusts the demo CA; with <paramref name="keepAlive"/> false, each request on a new connection.</summary>
    public HttpClient Client(bool keepAlive, int? port = null)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(Certificates.CaPem);
        var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            PooledConnectionLifetime = keepAlive ? Timeout.InfiniteTimeSpan : TimeSpan.Zero,
            MaxConnectionsPerServer = 1,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return certificate is X509Certificate2 leaf && chain.Build(leaf);
                },
            },
        })
        { BaseAddress = new Uri($"https://localhost:{port ?? Frontend}/"), Timeout = TimeSpan.FromSeconds(10) };
        if (!keepAlive) client.DefaultRequestHeaders.ConnectionClose = true;
        return client;
    }

    private async Task<TimeSpan> FirstServedAsync(int instance, CancellationToken ct)
    {
        using var client = Client(keepAlive: false, _ports[instance - 1]);
        client.Timeout = TimeSpan.FromSeconds(2);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                using var response = await client.GetAsync("", ct);
                if (response.IsSuccessStatusCode) return _clock.Elapsed;
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                // Not listening yet, or busy starting to.
            }
            await Task.Delay(10, ct);
        }
    }

    private Process StartHaproxy()
    {
        // TCP mode with health checks every 300 ms; a connection refused by a dead instance is retried on another (redispatch).
        var config = Path.Combine(_directory, "haproxy.cfg");
        File.WriteAllText(config, $"""
            global
                maxconn 1000
            defaults
                mode tcp
                timeout connect 1s
                timeout client 30s
                timeout server 30s
                retries 3
                option redispatch
            frontend gateway
                bind 127.0.0.1:{Frontend}
                default_backend instances
            backend instances
                balance roundrobin
            {string.Join("\n", _ports.Select((port, i) => $"    server instance{i + 1} 127.0.0.1:{port} check inter 300 fall 2 rise 1"))}

            """);
        var info = new ProcessStartInfo("/usr/sbin/haproxy") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-db", "-f", config }) info.ArgumentList.Add(argument);
        var haproxy = Process.Start(info)!;
        // Read as it comes, so that its warnings never fill the pipe; shown if it does not start.
        var errors = haproxy.StandardError.ReadToEndAsync();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                probe.Connect(System.Net.IPAddress.Loopback, Frontend);
                return haproxy;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 100 && !haproxy.HasExited)
            {
                Thread.Sleep(100);
            }
            catch (System.Net.Sockets.SocketException)
            {
                throw new InvalidOperationException($"HAProxy did not listen on {Frontend} ({(haproxy.HasExited ? $"exit {haproxy.ExitCode}: {errors.Result}" : "still starting")}) with:\n{File.ReadAllText(config)}");
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_haproxy is { HasExited: false })
        {
            _haproxy.Kill();
            await _haproxy.WaitForExitAsync();
        }
        _haproxy?.Dispose();
        foreach (var serve in _serves) if (serve is not null) await serve.DisposeAsync();
        await _backend.DisposeAsync();
        await Postgres.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
