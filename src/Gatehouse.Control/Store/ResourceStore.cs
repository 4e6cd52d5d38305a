using System.Text.Json.Nodes;
using Gatehouse.Control.Security;
using Gatehouse.Errors;
using Gatehouse.Network;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Control.Store;

/// <summary>
/// The resource store: one SQLite file in WAL mode. Names and ids compare case-insensitively (COLLATE NOCASE), as ARM does.
/// Resource bodies and deployment parameters/outputs are sealed with <see cref="StoreEncryption"/>, because they hold
/// certificate data and passwords. Each call opens its own pooled connection, so the store is safe to share across threads.
/// </summary>
internal sealed class ResourceStore : IDisposable
{
    public const string FileName = "gatehouse.db";

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS resource_groups (
            subscription_id TEXT NOT NULL COLLATE NOCASE,
            name TEXT NOT NULL COLLATE NOCASE,
            location TEXT NOT NULL,
            tags TEXT NOT NULL,
            PRIMARY KEY (subscription_id, name));
        CREATE TABLE IF NOT EXISTS resources (
            id TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            subscription_id TEXT NOT NULL COLLATE NOCASE,
            resource_group TEXT NOT NULL COLLATE NOCASE,
            type TEXT NOT NULL COLLATE NOCASE,
            name TEXT NOT NULL,
            api_version TEXT NOT NULL,
            body BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS resources_by_group ON resources (subscription_id, resource_group);
        CREATE TABLE IF NOT EXISTS deployments (
            subscription_id TEXT NOT NULL COLLATE NOCASE,
            resource_group TEXT NOT NULL COLLATE NOCASE,
            name TEXT NOT NULL COLLATE NOCASE,
            provisioning_state TEXT NOT NULL,
            mode TEXT NOT NULL,
            template_hash TEXT NOT NULL,
            correlation_id TEXT NOT NULL,
            operation_id TEXT NOT NULL,
            timestamp TEXT NOT NULL,
            end_time TEXT,
            parameters BLOB,
            outputs BLOB,
            error TEXT,
            operations TEXT NOT NULL,
            PRIMARY KEY (subscription_id, resource_group, name));
        CREATE TABLE IF NOT EXISTS applications (
            app_id TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            object_id TEXT NOT NULL,
            display_name TEXT NOT NULL,
            secret_hash BLOB NOT NULL);
        """;

    private const string DeploymentColumns =
        "subscription_id, resource_group, name, provisioning_state, mode, template_hash, correlation_id, operation_id, timestamp, end_time, parameters, outputs, error, operations";

    private readonly string _connectionString;
    private readonly StoreEncryption _encryption;

    private ResourceStore(string connectionString, StoreEncryption encryption)
    {
        _connectionString = connectionString;
        _encryption = encryption;
    }

    public static ResourceStore Open(string dataDirectory, StoreEncryption encryption)
    {
        var path = Path.Combine(dataDirectory, FileName);
        // Created here, owner only, so that SQLite's own files (-wal, -shm) take its mode rather than the umask's.
        PrivateFile.Touch(path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        var store = new ResourceStore(connectionString, encryption);
        using var connection = store.Connect();
        Execute(connection, null, Schema);
        return store;
    }

    // Resource groups

    public ResourceGroup? GetResourceGroup(string subscriptionId, string name) =>
        QueryResourceGroups("WHERE subscription_id = $s AND name = $n", ("$s", subscriptionId), ("$n", name)).SingleOrDefault();

    public IReadOnlyList<ResourceGroup> ListResourceGroups(string subscriptionId) =>
        QueryResourceGroups("WHERE subscription_id = $s ORDER BY name", ("$s", subscriptionId));

    public void PutResourceGroup(ResourceGroup group)
    {
        using var connection = Connect();
        Execute(connection, null, """
            INSERT INTO resource_groups (subscription_id, name, location, tags) VALUES ($s, $n, $l, $t)
            ON CONFLICT (subscription_id, name) DO UPDATE SET tags = excluded.tags
            """, ("$s", group.SubscriptionId), ("$n", group.Name), ("$l", group.Location), ("$t", group.Tags.ToJsonString()));
    }

    private List<ResourceGroup> QueryResourceGroups(string where, params (string, object?)[] parameters)
    {
        using var connection = Connect();
        using var command = Command(connection, null, $"SELECT subscription_id, name, location, tags FROM resource_groups {where}", parameters);
        using var reader = command.ExecuteReader();
        var groups = new List<ResourceGroup>();
        while (reader.Read())
        {
            groups.Add(new ResourceGroup(reader.GetString(0), reader.GetString(1), reader.GetString(2), (JsonNode.Parse(reader.GetString(3)) as JsonObject) ?? []));
        }
        return groups;
    }

    // Resources

    public ProvisionedResource? GetResource(string id) => QueryResources("WHERE id = $id", ("$id", id)).SingleOrDefault();

    public IReadOnlyList<ProvisionedResource> ListResources(string type) =>
        QueryResources("WHERE type = $type ORDER BY rowid", ("$type", type));

    public IReadOnlyList<ProvisionedResource> ListResourcesInGroup(string subscriptionId, string resourceGroup) =>
        QueryResources("WHERE subscription_id = $s AND resource_group = $g ORDER BY rowid", ("$s", subscriptionId), ("$g", resourceGroup));

    private List<ProvisionedResource> QueryResources(string where, params (string, object?)[] parameters)
    {
        using var connection = Connect();
        using var command = Command(connection, null, $"SELECT id, type, name, api_version, body FROM resources {where}", parameters);
        using var reader = command.ExecuteReader();
        var resources = new List<ProvisionedResource>();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            var body = JsonNode.Parse(_encryption.Open((byte[])reader.GetValue(4), id))!.AsObject();
            resources.Add(new ProvisionedResource(id, reader.GetString(1), reader.GetString(2), reader.GetString(3), body));
        }
        return resources;
    }

    /// <summary>Applies all of <paramref name="changes"/> or none of them.</summary>
    public void Commit(ResourceChanges changes)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        foreach (var id in changes.DeletedResourceIds)
        {
            Execute(connection, transaction, "DELETE FROM resources WHERE id = $id", ("$id", id));
        }
        foreach (var resource in changes.Upserts)
        {
            var parts = ResourceIdentifier.Parse(resource.Id)
                ?? throw new ArmException("InvalidResourceId", $"The resource id '{resource.Id}' is not a resource group resource id.");
            Execute(connection, transaction, """
                INSERT INTO resources (id, subscription_id, resource_group, type, name, api_version, body) VALUES ($id, $s, $g, $type, $name, $v, $body)
                ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name, api_version = excluded.api_version, body = excluded.body
                """,
                ("$id", resource.Id), ("$s", parts.SubscriptionId), ("$g", parts.ResourceGroup), ("$type", resource.Type),
                ("$name", resource.Name), ("$v", resource.ApiVersion), ("$body", _encryption.Seal(resource.Body.ToJsonString(), resource.Id)));
        }
        if (changes.CompletedDeployment is { } deployment) SaveDeployment(connection, transaction, deployment);
        if (changes.DeletedResourceGroup is { } group)
        {
            var key = new (string, object?)[] { ("$s", group.SubscriptionId), ("$n", group.Name) };
            Execute(connection, transaction, "DELETE FROM resources WHERE subscription_id = $s AND resource_group = $n", key);
            Execute(connection, transaction, "DELETE FROM deployments WHERE subscription_id = $s AND resource_group = $n", key);
            Execute(connection, transaction, "DELETE FROM resource_groups WHERE subscription_id = $s AND name = $n", key);
        }
        transaction.Commit();
    }

    // Deployments

    public void SaveDeployment(Deployment deployment)
    {
        using var connection = Connect();
        SaveDeployment(connection, null, deployment);
    }

    public Deployment? GetDeployment(string subscriptionId, string resourceGroup, string name) =>
        QueryDeployments("WHERE subscription_id = $s AND resource_group = $g AND name = $n", ("$s", subscriptionId), ("$g", resourceGroup), ("$n", name)).SingleOrDefault();

    public IReadOnlyList<Deployment> ListDeployments(string subscriptionId, string resourceGroup) =>
        QueryDeployments("WHERE subscription_id = $s AND resource_group = $g ORDER BY timestamp", ("$s", subscriptionId), ("$g", resourceGroup));

    public bool DeleteDeployment(string subscriptionId, string resourceGroup, string name)
    {
        using var connection = Connect();
        using var command = Command(connection, null, "DELETE FROM deployments WHERE subscription_id = $s AND resource_group = $g AND name = $n",
            [("$s", subscriptionId), ("$g", resourceGroup), ("$n", name)]);
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>Deployments that were queued or running when the server stopped: nothing of theirs was committed, so they failed.</summary>
    public IReadOnlyList<Deployment> ListUnfinishedDeployments() =>
        QueryDeployments("WHERE provisioning_state NOT IN ($ok, $failed, $canceled)",
            ("$ok", DeploymentStates.Succeeded), ("$failed", DeploymentStates.Failed), ("$canceled", DeploymentStates.Canceled));

    private void SaveDeployment(SqliteConnection connection, SqliteTransaction? transaction, Deployment d)
    {
        var key = DeploymentKey(d.SubscriptionId, d.ResourceGroup, d.Name);
        Execute(connection, transaction, $"""
            INSERT OR REPLACE INTO deployments ({DeploymentColumns})
            VALUES ($s, $g, $n, $state, $mode, $hash, $correlation, $operation, $timestamp, $end, $parameters, $outputs, $error, $operations)
            """,
            ("$s", d.SubscriptionId), ("$g", d.ResourceGroup), ("$n", d.Name), ("$state", d.ProvisioningState), ("$mode", d.Mode),
            ("$hash", d.TemplateHash), ("$correlation", d.CorrelationId), ("$operation", d.OperationId),
            ("$timestamp", d.Timestamp.ToString("o")), ("$end", d.EndTime?.ToString("o")),
            ("$parameters", d.Parameters is null ? null : _encryption.Seal(d.Parameters.ToJsonString(), key + "/parameters")),
            ("$outputs", d.Outputs is null ? null : _encryption.Seal(d.Outputs.ToJsonString(), key + "/outputs")),
            ("$error", d.Error?.ToJson().ToJsonString()),
            ("$operations", new JsonArray(d.Operations.Select(o => (JsonNode)OperationToJson(o)).ToArray()).ToJsonString()));
    }

    private List<Deployment> QueryDeployments(string where, params (string, object?)[] parameters)
    {
        using var connection = Connect();
        using var command = Command(connection, null, $"SELECT {DeploymentColumns} FROM deployments {where}", parameters);
        using var reader = command.ExecuteReader();
        var deployments = new List<Deployment>();
        while (reader.Read())
        {
            var key = DeploymentKey(reader.GetString(0), reader.GetString(1), reader.GetString(2));
            JsonObject? Sealed(int ordinal, string purpose) =>
                reader.IsDBNull(ordinal) ? null : JsonNode.Parse(_encryption.Open((byte[])reader.GetValue(ordinal), key + purpose))?.AsObject();
            deployments.Add(new Deployment(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetString(7), DateTimeOffset.Parse(reader.GetString(8), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(9) ? null : DateTimeOffset.Parse(reader.GetString(9), System.Globalization.CultureInfo.InvariantCulture),
                Sealed(10, "/parameters"), Sealed(11, "/outputs"),
                reader.IsDBNull(12) ? null : ArmError.FromJson(JsonNode.Parse(reader.GetString(12))),
                JsonNode.Parse(reader.GetString(13))!.AsArray().Select(OperationFromJson).ToList()));
        }
        return deployments;
    }

    private static string DeploymentKey(string subscriptionId, string resourceGroup, string name) =>
        ResourceIdentifier.DeploymentId(subscriptionId, resourceGroup, name);

    private static JsonObject OperationToJson(DeploymentOperation o) => new()
    {
        ["operationId"] = o.OperationId,
        ["provisioningState"] = o.ProvisioningState,
        ["timestamp"] = o.Timestamp.ToString("o"),
        ["resourceId"] = o.ResourceId,
        ["resourceType"] = o.ResourceType,
        ["resourceName"] = o.ResourceName,
        ["error"] = o.Error?.ToJson(),
    };

    private static DeploymentOperation OperationFromJson(JsonNode? node) => new(
        node!["operationId"]!.GetValue<string>(),
        node["provisioningState"]!.GetValue<string>(),
        DateTimeOffset.Parse(node["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
        node["resourceId"]?.GetValue<string>(),
        node["resourceType"]?.GetValue<string>(),
        node["resourceName"]?.GetValue<string>(),
        node["error"] is { } error ? ArmError.FromJson(error) : null);

    // Application registrations of the local Entra-compatible issuer

    public void PutApplication(Application application)
    {
        using var connection = Connect();
        Execute(connection, null, "INSERT INTO applications (app_id, object_id, display_name, secret_hash) VALUES ($a, $o, $n, $h)",
            ("$a", application.AppId), ("$o", application.ObjectId), ("$n", application.DisplayName), ("$h", application.SecretHash));
    }

    public Application? GetApplication(string appId)
    {
        using var connection = Connect();
        using var command = Command(connection, null, "SELECT app_id, object_id, display_name, secret_hash FROM applications WHERE app_id = $a", [("$a", appId)]);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new Application(reader.GetString(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3)) : null;
    }

    // Plumbing

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    /// <summary>Closes the pooled connections, so that the WAL is checkpointed into the one database file and the file is released.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
