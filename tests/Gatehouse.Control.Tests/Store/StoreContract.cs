using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Gatehouse.Control.Security;
using Gatehouse.Control.Store;
using Gatehouse.Errors;
using Gatehouse.Network;
using Gatehouse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Control.Tests.Store;

/// <summary>What every store does, run against each implementation: <see cref="SqliteStoreTests"/> and <see cref="PostgresStoreTests"/>.</summary>
public abstract class StoreContract : IAsyncLifetime
{
    private const string Subscription = "00000000-0000-0000-0000-00000000000a";
    private const string GatewayType = "Microsoft.Network/applicationGateways";

    private protected IResourceStore Store { get; private set; } = null!;

    /// <summary>A store on fresh, empty storage, as instance <paramref name="instanceId"/>.</summary>
    private protected abstract Task<IResourceStore> OpenFreshAsync(string instanceId);

    /// <summary>The same storage again, as another instance (a restart, or a second instance sharing it).</summary>
    private protected abstract IResourceStore OpenAgain(string instanceId);

    public async Task InitializeAsync() => Store = await OpenFreshAsync("first");

    public virtual Task DisposeAsync()
    {
        Store.Dispose();
        return Task.CompletedTask;
    }

    private static string Id(string group, string name, string type = GatewayType) =>
        $"/subscriptions/{Subscription}/resourceGroups/{group}/providers/{type}/{name}";

    private static ProvisionedResource Resource(string group, string name, string secret = "s3cret", string type = GatewayType) =>
        new(Id(group, name, type), type, name, "2024-07-01", new JsonObject { ["name"] = name, ["properties"] = new JsonObject { ["password"] = secret } });

    private static Deployment Deployment(string group, string name, string state) => new(
        Subscription, group, name, state, "Incremental", "hash", "correlation", Guid.NewGuid().ToString(), DateTimeOffset.UtcNow, null,
        new JsonObject { ["p"] = new JsonObject { ["type"] = "string", ["value"] = "v" } }, null, null,
        [new DeploymentOperation("OP1", DeploymentStates.Succeeded, DateTimeOffset.UtcNow, Id(group, "gw"), GatewayType, "gw", null)]);

    [Fact]
    public void Resource_groups_are_found_by_name_in_any_casing_and_keep_the_casing_they_were_created_with()
    {
        Store.PutResourceGroup(new ResourceGroup(Subscription, "Rg-One", "local", new JsonObject { ["team"] = "a" }));
        Store.PutResourceGroup(new ResourceGroup(Subscription.ToUpperInvariant(), "RG-ONE", "elsewhere", new JsonObject { ["team"] = "b" }));

        var group = Assert.Single(Store.ListResourceGroups(Subscription));
        Assert.Equal("Rg-One", group.Name);
        Assert.Equal("local", group.Location);
        Assert.Equal("b", group.Tags["team"]!.GetValue<string>());
        Assert.Equal("Rg-One", Store.GetResourceGroup(Subscription, "rg-one")!.Name);
    }

    [Fact]
    public void Resource_groups_list_by_name_compared_byte_by_byte_with_ASCII_letters_in_lower_case()
    {
        // The characters a group name may hold besides letters and digits are where collations disagree (ICU puts '_' first).
        foreach (var name in new[] { "rg_b", "RG.c", "rg-a", "rg(d)", "Rg1", "rgZ" })
            Store.PutResourceGroup(new ResourceGroup(Subscription, name, "local", []));

        Assert.Equal(["rg(d)", "rg-a", "RG.c", "Rg1", "rg_b", "rgZ"], Store.ListResourceGroups(Subscription).Select(g => g.Name));
    }

    [Fact]
    public void A_commit_stores_every_change_and_makes_the_next_revision()
    {
        var before = Store.ReadRevision([GatewayType]).Number;
        var first = Store.Commit(new ResourceChanges([Resource("rg", "gw1"), Resource("rg", "gw2"), Resource("rg", "ip", type: "Microsoft.Network/publicIPAddresses")], []));
        var second = Store.Commit(new ResourceChanges([Resource("rg", "gw1", "changed")], [Id("rg", "GW2")]));

        Assert.Equal(before + 1, first);
        Assert.Equal(before + 2, second);
        var stored = Store.ReadRevision([GatewayType]);
        Assert.Equal(second, stored.Number);
        var gateway = Assert.Single(stored.Resources);
        Assert.Equal("changed", gateway.Body["properties"]!["password"]!.GetValue<string>());
        Assert.Equal(2, Store.ListResourcesInGroup(Subscription, "RG").Count);
        Assert.NotNull(Store.GetResource(Id("rg", "gw1").ToUpperInvariant()));
    }

    [Fact]
    public void Resources_list_in_the_order_they_were_first_stored()
    {
        Store.Commit(new ResourceChanges([Resource("rg", "b"), Resource("rg", "a")], []));
        Store.Commit(new ResourceChanges([Resource("rg", "c"), Resource("rg", "b", "again")], []));

        Assert.Equal(["b", "a", "c"], Store.ListResources(GatewayType).Select(r => r.Name));
    }

    [Fact]
    public void A_commit_that_fails_changes_nothing()
    {
        Store.Commit(new ResourceChanges([Resource("rg", "kept")], []));
        var revision = Store.ReadRevision([GatewayType]).Number;
        var bad = new ProvisionedResource("/not/a/resource/id", GatewayType, "bad", "2024-07-01", []);

        Assert.Throws<ArmException>(() => Store.Commit(new ResourceChanges([Resource("rg", "new"), bad], [Id("rg", "kept")])));

        var stored = Store.ReadRevision([GatewayType]);
        Assert.Equal(revision, stored.Number);
        Assert.Equal(["kept"], stored.Resources.Select(r => r.Name));
    }

    [Fact]
    public void Deleting_a_resource_group_deletes_its_resources_and_deployments_in_the_same_commit()
    {
        var group = new ResourceGroup(Subscription, "doomed", "local", []);
        Store.PutResourceGroup(group);
        Store.Commit(new ResourceChanges([Resource("doomed", "gw"), Resource("other", "gw")], [], Deployment("doomed", "d1", DeploymentStates.Succeeded)));

        Store.Commit(new ResourceChanges([], [Id("doomed", "gw")], DeletedResourceGroup: group));

        Assert.Null(Store.GetResourceGroup(Subscription, "doomed"));
        Assert.Empty(Store.ListDeployments(Subscription, "doomed"));
        Assert.Equal(["gw"], Store.ListResources(GatewayType).Select(r => r.Name));
        Assert.Empty(Store.ListResourcesInGroup(Subscription, "doomed"));
    }

    [Fact]
    public void Deployments_keep_their_parameters_operations_and_error_and_can_be_deleted()
    {
        var failed = Deployment("rg", "Deploy-1", DeploymentStates.Failed) with { Error = new ArmError("DeploymentFailed", "it failed", Details: [new ArmError("Inner", "why")]) };
        Store.SaveDeployment(failed);

        var read = Store.GetDeployment(Subscription, "RG", "deploy-1")!;
        Assert.Equal("Deploy-1", read.Name);
        Assert.Equal("v", read.Parameters!["p"]!["value"]!.GetValue<string>());
        Assert.Equal("Inner", read.Error!.Details![0].Code);
        Assert.Equal("OP1", Assert.Single(read.Operations).OperationId);
        Assert.Equal(failed.Timestamp, read.Timestamp);

        Assert.True(Store.DeleteDeployment(Subscription, "rg", "DEPLOY-1"));
        Assert.False(Store.DeleteDeployment(Subscription, "rg", "deploy-1"));
        Assert.Empty(Store.ListDeployments(Subscription, "rg"));
    }

    [Fact]
    public void Secrets_are_sealed_at_rest_and_read_back_after_a_reopen()
    {
        var secret = $"pw-{Guid.NewGuid():N}";
        Store.Commit(new ResourceChanges([Resource("rg", "gw", secret)], []));

        using var again = OpenAgain("second");
        Assert.Equal(secret, again.GetResource(Id("rg", "gw"))!.Body["properties"]!["password"]!.GetValue<string>());
        Assert.DoesNotContain(secret, RawContent());
    }

    /// <summary>Everything the storage holds, as text, to look for secrets in.</summary>
    private protected abstract string RawContent();

    [Fact]
    public void A_deployment_left_unfinished_by_a_stopped_instance_is_orphaned_but_not_one_of_a_live_instance()
    {
        Store.SaveDeployment(Deployment("rg", "cut-short", DeploymentStates.Running));
        Store.SaveDeployment(Deployment("rg", "done", DeploymentStates.Succeeded));

        Assert.Empty(Store.ListOrphanedDeployments());
        using var next = OpenAgain("next");
        Assert.Equal(["cut-short"], next.ListOrphanedDeployments().Select(d => d.Name));
    }

    [Fact]
    public void Instances_report_the_revision_they_serve_and_the_last_report_wins()
    {
        var started = DateTimeOffset.UtcNow.AddMinutes(-1);
        Store.Report(new InstanceReport("one", "https://127.0.0.1:1/", 3, started, started));
        Store.Report(new InstanceReport("one", "https://127.0.0.1:1/", 4, started, started.AddSeconds(2)));
        Store.Report(new InstanceReport("two", "https://127.0.0.1:2/", 4, started.AddSeconds(1), started.AddSeconds(1)));

        var instances = Store.ListInstances();
        Assert.Equal(["one", "two"], instances.Select(i => i.Id));
        Assert.Equal(4, instances[0].Revision);
        Assert.Equal(started.AddSeconds(2), instances[0].LastReport);
        Assert.Null(instances[0].BackendHealth);
    }

    [Fact]
    public void An_instance_reports_what_its_probes_found_with_its_heartbeat()
    {
        var now = DateTimeOffset.UtcNow;
        var health = new JsonObject { ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationGateways/gw"] = new JsonObject { ["backendAddressPools"] = new JsonArray() } };
        Store.Report(new InstanceReport("one", "https://127.0.0.1:1/", 1, now, now, health));

        Assert.True(JsonNode.DeepEquals(health, Assert.Single(Store.ListInstances()).BackendHealth));
    }

    private protected static StoreEncryption NewEncryption() => new(RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow);
}

public sealed class SqliteStoreTests : StoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gatehouse-store-").FullName;
    private readonly StoreEncryption _encryption = NewEncryption();

    private protected override Task<IResourceStore> OpenFreshAsync(string instanceId) =>
        Task.FromResult<IResourceStore>(SqliteResourceStore.Open(_directory, _encryption, instanceId));

    private protected override IResourceStore OpenAgain(string instanceId) => SqliteResourceStore.Open(_directory, _encryption, instanceId);

    private protected override string RawContent() =>
        string.Concat(Directory.GetFiles(_directory, "gatehouse.db*").Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>One PostgreSQL cluster for the class; each test has a database of its own.</summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    public TemporaryPostgres Postgres { get; private set; } = null!;

    public async Task InitializeAsync() => Postgres = await TemporaryPostgres.StartAsync();

    public async Task DisposeAsync() => await Postgres.DisposeAsync();
}

public sealed class PostgresStoreTests(PostgresCluster cluster) : StoreContract, IClassFixture<PostgresCluster>
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private string _url = null!;

    private protected override async Task<IResourceStore> OpenFreshAsync(string instanceId)
    {
        _url = await cluster.Postgres.CreateDatabaseAsync();
        return OpenAgain(instanceId);
    }

    private protected override IResourceStore OpenAgain(string instanceId) => PostgresResourceStore.Open(_url, _key, instanceId, NullLogger.Instance);

    private protected override string RawContent()
    {
        var builder = PostgresResourceStore.ConnectionString(_url);
        using var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(
            "SELECT string_agg(encode(body, 'escape'), '') || coalesce((SELECT string_agg(encode(parameters, 'escape'), '') FROM deployments), '') FROM resources", connection);
        return command.ExecuteScalar() as string ?? "";
    }
}
