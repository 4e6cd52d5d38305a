using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Gatehouse.Tests.Support;
using Npgsql;

namespace Gatehouse.Control.Tests.Store;

/// <summary>Several management servers on one PostgreSQL store, as several <c>serve</c> instances: what one commits, all serve.</summary>
public sealed class SharedStoreTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IAsyncLifetime
{
    private static readonly ReferenceDeployment Reference = ReferenceDeployment.Create();
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly List<RunningServer> _instances = [];
    private readonly string _keyFile = Path.Combine(Directory.CreateTempSubdirectory("gatehouse-key-").FullName, "data.key");
    private string _store = null!;

    public async Task InitializeAsync()
    {
        File.WriteAllText(_keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        _store = await cluster.Postgres.CreateDatabaseAsync();
    }

    private async Task<RunningServer> StartInstanceAsync()
    {
        var instance = await RunningServer.StartAsync(store: _store, dataKeyFile: _keyFile);
        _instances.Add(instance);
        await instance.SignInAsync();
        return instance;
    }

    private static async Task<JsonNode> DeployReferenceAsync(RunningServer through, string name, string tag)
    {
        var template = Reference.Template;
        var gateway = template["resources"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Network/applicationGateways")!;
        gateway["tags"] = new JsonObject { ["deployment"] = tag };
        return await through.DeployAsync("rg1", name, Reference.Body(template));
    }

    private static string? ServedTag(RunningServer instance) =>
        instance.Runtime.Serving.SingleOrDefault()?.Body["tags"]?["deployment"]?.GetValue<string>();

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not within {Patience.TotalSeconds} s: {what}");
            await Task.Delay(50);
        }
    }

    private static Task Eventually(Func<bool> condition, string what) => Eventually(() => Task.FromResult(condition()), what);

    private static async Task<JsonNode> InstancesAsync(RunningServer through) =>
        (await through.SendAsync(HttpMethod.Get, $"{through.Subscription}/providers/Gatehouse/instances?{RunningServer.ApiVersion}")).Json!;

    [Fact]
    public async Task A_deployment_through_one_instance_is_served_by_the_other_which_shares_its_credentials_and_reports_its_revision()
    {
        var first = await StartInstanceAsync();
        var second = await StartInstanceAsync();
        Assert.Equal(first.Server.Credentials.SubscriptionId, second.Server.Credentials.SubscriptionId);
        await first.CreateResourceGroupAsync("rg1");

        var status = await DeployReferenceAsync(first, "d1", "one");
        Assert.Equal("Succeeded", status["status"]!.GetValue<string>());

        await Eventually(() => ServedTag(second) == "one", "the second instance serves the deployment");
        var gateway = await second.SendAsync(HttpMethod.Get, $"{second.GatewayPath("rg1")}?api-version=2025-03-01");
        Assert.Equal(HttpStatusCode.OK, gateway.Status);
        Assert.DoesNotContain(Reference.CertPassword, gateway.Text);
        await Eventually(async () =>
        {
            var view = await InstancesAsync(second);
            return view["liveInstances"]!.GetValue<int>() == 2
                && view["value"]!.AsArray().All(i => i!["revision"]!.GetValue<long>() == view["storeRevision"]!.GetValue<long>());
        }, "both instances report the store's revision");
        var capacity = (await InstancesAsync(first))["gateways"]![0]!;
        Assert.Equal(2, capacity["liveInstances"]!.GetValue<int>());
        Assert.Equal(2 - capacity["capacity"]!.GetValue<int>(), capacity["difference"]!.GetValue<int>());
    }

    [Fact]
    public async Task Backend_health_through_one_instance_merges_what_each_instance_probed_and_says_which_saw_what()
    {
        var first = await StartInstanceAsync();
        var second = await StartInstanceAsync();
        await first.CreateResourceGroupAsync("rg1");
        await DeployReferenceAsync(first, "d1", "one");
        await Eventually(() => ServedTag(second) == "one", "the second instance serves the deployment");
        second.Runtime.ServerHealth = ("Down", "Cannot connect to backend server. Check whether any NSG/UDR/Firewall is blocking access to the server.");

        JsonNode server = null!;
        await Eventually(async () =>
        {
            var report = await first.FollowLocationAsync(await first.SendAsync(HttpMethod.Post, $"{first.GatewayPath("rg1")}/backendhealth?api-version=2025-03-01", (string?)null));
            server = report.Json!["backendAddressPools"]![0]!["backendHttpSettingsCollection"]![0]!["servers"]![0]!;
            return server["health"]!.GetValue<string>() == "Partial";
        }, "the second instance's view reaches the first");

        Assert.Equal("10.0.0.4", server["address"]!.GetValue<string>());
        var log = server["healthProbeLog"]!.GetValue<string>();
        Assert.Contains($"{first.Server.InstanceId}: Up", log);
        Assert.Contains($"{second.Server.InstanceId}: Down (Cannot connect to backend server.", log);

        second.Runtime.ServerHealth = ("Up", null);
        await Eventually(async () =>
        {
            var report = await second.FollowLocationAsync(await second.SendAsync(HttpMethod.Post, $"{second.GatewayPath("rg1")}/backendhealth?api-version=2025-03-01", (string?)null));
            server = report.Json!["backendAddressPools"]![0]!["backendHttpSettingsCollection"]![0]!["servers"]![0]!;
            return server["health"]!.GetValue<string>() == "Up";
        }, "the instances agree again");
        Assert.Null(server["healthProbeLog"]);
    }

    [Fact]
    public async Task Two_deployments_sent_at_once_to_two_instances_are_both_applied_one_after_the_other_and_all_converge()
    {
        var first = await StartInstanceAsync();
        var second = await StartInstanceAsync();
        var third = await StartInstanceAsync();
        await first.CreateResourceGroupAsync("rg1");

        var both = await Task.WhenAll(DeployReferenceAsync(first, "from-first", "first"), DeployReferenceAsync(second, "from-second", "second"));

        Assert.All(both, status => Assert.Equal("Succeeded", status["status"]!.GetValue<string>()));
        // The gateway as stored is the one committed last (a deployment's timestamp is when it finished, before its turn to commit).
        var stored = await third.SendAsync(HttpMethod.Get, $"{third.GatewayPath("rg1")}?api-version=2025-03-01");
        var lastTag = stored.Json!["tags"]!["deployment"]!.GetValue<string>();
        Assert.Contains(lastTag, (string[])["first", "second"]);
        await Eventually(() => _instances.All(i => ServedTag(i) == lastTag), "every instance serves the deployment committed last");
        await Eventually(async () =>
        {
            var view = await InstancesAsync(third);
            return view["storeRevision"]!.GetValue<long>() == 2 && view["value"]!.AsArray().All(i => i!["revision"]!.GetValue<long>() == 2);
        }, "all three instances report revision 2");
        Assert.All(_instances, i => Assert.Equal(1, i.Runtime.MostConcurrentApplies));
    }

    [Fact]
    public async Task After_its_notification_connection_drops_an_instance_reconnects_and_serves_each_missed_revision_once()
    {
        var first = await StartInstanceAsync();
        var second = await StartInstanceAsync();
        await first.CreateResourceGroupAsync("rg1");
        var appliedAtStart = second.Runtime.Applied.Count;

        // Every LISTEN connection goes; the deployment is committed while the instances reconnect.
        await using (var admin = new NpgsqlConnection(PostgresConnection()))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()", admin);
            Assert.Equal(2L, await terminate.ExecuteScalarAsync());
        }
        await DeployReferenceAsync(first, "d1", "missed");

        await Eventually(() => ServedTag(second) == "missed", "the second instance serves the revision committed while it reconnected");
        await Eventually(() => second.Logs.Lines.Any(l => l.Contains("reconnecting", StringComparison.Ordinal)), "the second instance logged its reconnection");
        await Task.Delay(InstanceReportInterval);
        Assert.Equal(appliedAtStart + 1, second.Runtime.Applied.Count);
    }

    private static readonly TimeSpan InstanceReportInterval = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task With_the_store_stopped_instances_keep_serving_management_calls_fail_with_503_and_after_it_returns_a_deployment_reaches_all()
    {
        var first = await StartInstanceAsync();
        var second = await StartInstanceAsync();
        await first.CreateResourceGroupAsync("rg1");
        await DeployReferenceAsync(first, "before", "before");
        await Eventually(() => ServedTag(second) == "before", "the second instance serves the first deployment");

        await cluster.Postgres.StopAsync();
        try
        {
            var unavailable = await second.SendAsync(HttpMethod.Get, $"{second.GatewayPath("rg1")}?api-version=2025-03-01");
            var deploy = await first.SendAsync(HttpMethod.Put, $"{first.DeploymentPath("rg1", "while-down")}?{RunningServer.ApiVersion}", Reference.Body());

            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.Status);
            Assert.Equal("StoreUnavailable", unavailable.ErrorCode);
            Assert.Contains("keep serving their last configuration", unavailable.Text);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, deploy.Status);
            Assert.Equal("before", ServedTag(first));
            Assert.Equal("before", ServedTag(second));
        }
        finally
        {
            await cluster.Postgres.ResumeAsync();
        }

        var after = await DeployReferenceAsync(second, "after", "after");
        Assert.Equal("Succeeded", after["status"]!.GetValue<string>());
        await Eventually(() => ServedTag(first) == "after", "the first instance serves the deployment made after the store returned");
    }

    private string PostgresConnection()
    {
        var builder = Gatehouse.Control.Store.PostgresResourceStore.ConnectionString(_store);
        builder.Password = TemporaryPostgres.Password;
        return builder.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_keyFile)!, recursive: true);
    }
}
