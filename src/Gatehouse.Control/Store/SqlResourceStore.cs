using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Gatehouse.Control.Security;
using Gatehouse.Errors;
using Gatehouse.Network;

namespace Gatehouse.Control.Store;

/// <summary>
/// The store's queries, in the SQL that SQLite and PostgreSQL share (named <c>@parameters</c>, <c>ON CONFLICT</c> upserts,
/// <c>RETURNING</c>); each implementation brings its schema, connections, case-insensitive collation and how instances
/// meet. Resource bodies and deployment parameters/outputs are sealed with <see cref="StoreEncryption"/>, because they
/// hold certificate data and passwords. Each call opens its own pooled connection.
/// </summary>
internal abstract class SqlResourceStore(StoreEncryption encryption, string instanceId) : IResourceStore
{
    private const string DeploymentColumns =
        "subscription_id, resource_group, name, provisioning_state, mode, template_hash, correlation_id, operation_id, timestamp, end_time, parameters, outputs, error, operations";

    /// <summary>The column that orders resources as they were first stored.</summary>
    protected abstract string InsertionOrder { get; }

    /// <summary>
    /// The expression that orders rows by name the same on every store: byte by byte, ASCII letters in lower case
    /// (SQLite's NOCASE), so that a list does not change order when the store does.
    /// </summary>
    protected abstract string NameOrder { get; }

    /// <summary>The condition on a deployments row (with <c>@self</c> and <c>@alive</c>) for a deployment whose instance is gone.</summary>
    protected abstract string OrphanedCondition { get; }

    protected abstract DbConnection Connect();

    /// <summary>Runs inside the commit's transaction once the new revision is known (to announce it).</summary>
    protected virtual void Committed(DbConnection connection, DbTransaction transaction, long revision) { }

    /// <summary>The error to report when <paramref name="e"/> means the store cannot be reached; null for any other failure.</summary>
    protected virtual Exception? Unavailable(Exception e) => null;

    public abstract Task<IAsyncDisposable> LockChangesAsync(CancellationToken ct);

    public abstract Task WatchAsync(Func<CancellationToken, Task> caughtUp, CancellationToken ct);

    /// <summary>Applies the schema versions not applied yet, in order, each in its own transaction.</summary>
    protected static void Migrate(DbConnection connection, IReadOnlyList<string> versions)
    {
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_versions (version INTEGER NOT NULL PRIMARY KEY, applied TEXT NOT NULL)");
        using var current = Command(connection, null, "SELECT COALESCE(MAX(version), 0) FROM schema_versions", []);
        var applied = Convert.ToInt32(current.ExecuteScalar(), CultureInfo.InvariantCulture);
        for (var version = applied + 1; version <= versions.Count; version++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, versions[version - 1]);
            Execute(connection, transaction, "INSERT INTO schema_versions (version, applied) VALUES (@v, @at)", ("@v", version), ("@at", Now()));
            transaction.Commit();
        }
    }

    // Resource groups

    public ResourceGroup? GetResourceGroup(string subscriptionId, string name) =>
        QueryResourceGroups("WHERE subscription_id = @s AND name = @n", ("@s", subscriptionId), ("@n", name)).SingleOrDefault();

    public IReadOnlyList<ResourceGroup> ListResourceGroups(string subscriptionId) =>
        QueryResourceGroups($"WHERE subscription_id = @s ORDER BY {NameOrder}", ("@s", subscriptionId));

    public void PutResourceGroup(ResourceGroup group) => Run(connection => Execute(connection, null, """
        INSERT INTO resource_groups (subscription_id, name, location, tags) VALUES (@s, @n, @l, @t)
        ON CONFLICT (subscription_id, name) DO UPDATE SET tags = excluded.tags
        """, ("@s", group.SubscriptionId), ("@n", group.Name), ("@l", group.Location), ("@t", group.Tags.ToJsonString())));

    private List<ResourceGroup> QueryResourceGroups(string where, params (string, object?)[] parameters) =>
        Query($"SELECT subscription_id, name, location, tags FROM resource_groups {where}", parameters,
            reader => new ResourceGroup(reader.GetString(0), reader.GetString(1), reader.GetString(2), (JsonNode.Parse(reader.GetString(3)) as JsonObject) ?? []));

    // Resources

    public ProvisionedResource? GetResource(string id) => QueryResources("WHERE id = @id", ("@id", id)).SingleOrDefault();

    public IReadOnlyList<ProvisionedResource> ListResources(string type) =>
        QueryResources($"WHERE type = @type ORDER BY {InsertionOrder}", ("@type", type));

    public IReadOnlyList<ProvisionedResource> ListResourcesInGroup(string subscriptionId, string resourceGroup) =>
        QueryResources($"WHERE subscription_id = @s AND resource_group = @g ORDER BY {InsertionOrder}", ("@s", subscriptionId), ("@g", resourceGroup));

    public StoredRevision ReadRevision(IReadOnlyList<string> types) => Run(connection =>
    {
        // One transaction, so that the resources are those of the revision read with them.
        using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        using var command = Command(connection, transaction, "SELECT value FROM revision", []);
        var number = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        var resources = types.SelectMany(type => Query(connection, transaction,
            $"SELECT id, type, name, api_version, body FROM resources WHERE type = @type ORDER BY {InsertionOrder}", [("@type", type)], ReadResource)).ToList();
        transaction.Commit();
        return new StoredRevision(number, resources);
    });

    private List<ProvisionedResource> QueryResources(string where, params (string, object?)[] parameters) =>
        Query($"SELECT id, type, name, api_version, body FROM resources {where}", parameters, ReadResource);

    private ProvisionedResource ReadResource(DbDataReader reader)
    {
        var id = reader.GetString(0);
        var body = JsonNode.Parse(encryption.Open((byte[])reader.GetValue(4), id))!.AsObject();
        return new ProvisionedResource(id, reader.GetString(1), reader.GetString(2), reader.GetString(3), body);
    }

    public long Commit(ResourceChanges changes) => Run(connection =>
    {
        using var transaction = connection.BeginTransaction();
        foreach (var id in changes.DeletedResourceIds)
        {
            Execute(connection, transaction, "DELETE FROM resources WHERE id = @id", ("@id", id));
        }
        foreach (var resource in changes.Upserts)
        {
            var parts = ResourceIdentifier.Parse(resource.Id)
                ?? throw new ArmException("InvalidResourceId", $"The resource id '{resource.Id}' is not a resource group resource id.");
            Execute(connection, transaction, """
                INSERT INTO resources (id, subscription_id, resource_group, type, name, api_version, body) VALUES (@id, @s, @g, @type, @name, @v, @body)
                ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name, api_version = excluded.api_version, body = excluded.body
                """,
                ("@id", resource.Id), ("@s", parts.SubscriptionId), ("@g", parts.ResourceGroup), ("@type", resource.Type),
                ("@name", resource.Name), ("@v", resource.ApiVersion), ("@body", encryption.Seal(resource.Body.ToJsonString(), resource.Id)));
        }
        if (changes.CompletedDeployment is { } deployment) SaveDeployment(connection, transaction, deployment);
        if (changes.DeletedResourceGroup is { } group)
        {
            var key = new (string, object?)[] { ("@s", group.SubscriptionId), ("@n", group.Name) };
            Execute(connection, transaction, "DELETE FROM resources WHERE subscription_id = @s AND resource_group = @n", key);
            Execute(connection, transaction, "DELETE FROM deployments WHERE subscription_id = @s AND resource_group = @n", key);
            Execute(connection, transaction, "DELETE FROM resource_groups WHERE subscription_id = @s AND name = @n", key);
        }
        using var next = Command(connection, transaction, "UPDATE revision SET value = value + 1 RETURNING value", []);
        var revision = Convert.ToInt64(next.ExecuteScalar(), CultureInfo.InvariantCulture);
        Committed(connection, transaction, revision);
        transaction.Commit();
        return revision;
    });

    // Deployments

    public void SaveDeployment(Deployment deployment) => Run(connection => SaveDeployment(connection, null, deployment));

    public Deployment? GetDeployment(string subscriptionId, string resourceGroup, string name) =>
        QueryDeployments("WHERE subscription_id = @s AND resource_group = @g AND name = @n", ("@s", subscriptionId), ("@g", resourceGroup), ("@n", name)).SingleOrDefault();

    public IReadOnlyList<Deployment> ListDeployments(string subscriptionId, string resourceGroup) =>
        QueryDeployments("WHERE subscription_id = @s AND resource_group = @g ORDER BY timestamp", ("@s", subscriptionId), ("@g", resourceGroup));

    public bool DeleteDeployment(string subscriptionId, string resourceGroup, string name) => Run(connection =>
    {
        using var command = Command(connection, null, "DELETE FROM deployments WHERE subscription_id = @s AND resource_group = @g AND name = @n",
            [("@s", subscriptionId), ("@g", resourceGroup), ("@n", name)]);
        return command.ExecuteNonQuery() > 0;
    });

    public IReadOnlyList<Deployment> ListOrphanedDeployments() =>
        QueryDeployments($"WHERE provisioning_state NOT IN (@ok, @failed, @canceled) AND ({OrphanedCondition})",
            ("@ok", DeploymentStates.Succeeded), ("@failed", DeploymentStates.Failed), ("@canceled", DeploymentStates.Canceled),
            ("@self", instanceId), ("@alive", Text(DateTimeOffset.UtcNow - InstanceReport.Lifetime)));

    private void SaveDeployment(DbConnection connection, DbTransaction? transaction, Deployment d)
    {
        var key = DeploymentKey(d.SubscriptionId, d.ResourceGroup, d.Name);
        Execute(connection, transaction, $"""
            INSERT INTO deployments ({DeploymentColumns}, instance_id)
            VALUES (@s, @g, @n, @state, @mode, @hash, @correlation, @operation, @timestamp, @end, @parameters, @outputs, @error, @operations, @instance)
            ON CONFLICT (subscription_id, resource_group, name) DO UPDATE SET provisioning_state = excluded.provisioning_state,
                mode = excluded.mode, template_hash = excluded.template_hash, correlation_id = excluded.correlation_id,
                operation_id = excluded.operation_id, timestamp = excluded.timestamp, end_time = excluded.end_time,
                parameters = excluded.parameters, outputs = excluded.outputs, error = excluded.error,
                operations = excluded.operations, instance_id = excluded.instance_id
            """,
            ("@s", d.SubscriptionId), ("@g", d.ResourceGroup), ("@n", d.Name), ("@state", d.ProvisioningState), ("@mode", d.Mode),
            ("@hash", d.TemplateHash), ("@correlation", d.CorrelationId), ("@operation", d.OperationId),
            ("@timestamp", Text(d.Timestamp)), ("@end", d.EndTime is { } end ? Text(end) : null),
            ("@parameters", d.Parameters is null ? null : encryption.Seal(d.Parameters.ToJsonString(), key + "/parameters")),
            ("@outputs", d.Outputs is null ? null : encryption.Seal(d.Outputs.ToJsonString(), key + "/outputs")),
            ("@error", d.Error?.ToJson().ToJsonString()),
            ("@operations", new JsonArray(d.Operations.Select(o => (JsonNode)OperationToJson(o)).ToArray()).ToJsonString()),
            ("@instance", instanceId));
    }

    private List<Deployment> QueryDeployments(string where, params (string, object?)[] parameters) =>
        Query($"SELECT {DeploymentColumns} FROM deployments {where}", parameters, reader =>
        {
            var key = DeploymentKey(reader.GetString(0), reader.GetString(1), reader.GetString(2));
            JsonObject? Sealed(int ordinal, string purpose) =>
                reader.IsDBNull(ordinal) ? null : JsonNode.Parse(encryption.Open((byte[])reader.GetValue(ordinal), key + purpose))?.AsObject();
            return new Deployment(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetString(7), Time(reader.GetString(8)), reader.IsDBNull(9) ? null : Time(reader.GetString(9)),
                Sealed(10, "/parameters"), Sealed(11, "/outputs"),
                reader.IsDBNull(12) ? null : ArmError.FromJson(JsonNode.Parse(reader.GetString(12))),
                JsonNode.Parse(reader.GetString(13))!.AsArray().Select(OperationFromJson).ToList());
        });

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
        Time(node["timestamp"]!.GetValue<string>()),
        node["resourceId"]?.GetValue<string>(),
        node["resourceType"]?.GetValue<string>(),
        node["resourceName"]?.GetValue<string>(),
        node["error"] is { } error ? ArmError.FromJson(error) : null);

    // Instances

    public void Report(InstanceReport report) => Run(connection => Execute(connection, null, """
        INSERT INTO instances (id, management_url, revision, started, last_report, backend_health) VALUES (@id, @url, @revision, @started, @last, @health)
        ON CONFLICT (id) DO UPDATE SET management_url = excluded.management_url, revision = excluded.revision, last_report = excluded.last_report,
            backend_health = excluded.backend_health
        """, ("@id", report.Id), ("@url", report.ManagementUrl), ("@revision", report.Revision), ("@started", Text(report.Started)),
        ("@last", Text(report.LastReport)), ("@health", report.BackendHealth?.ToJsonString())));

    public IReadOnlyList<InstanceReport> ListInstances() =>
        Query("SELECT id, management_url, revision, started, last_report, backend_health FROM instances ORDER BY started", [], reader =>
            new InstanceReport(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), Time(reader.GetString(3)), Time(reader.GetString(4)),
                reader.IsDBNull(5) ? null : JsonNode.Parse(reader.GetString(5))?.AsObject()));

    // Application registrations of the local Entra-compatible issuer

    public void PutApplication(Application application) => Run(connection => Execute(connection, null,
        "INSERT INTO applications (app_id, object_id, display_name, secret_hash) VALUES (@a, @o, @n, @h)",
        ("@a", application.AppId), ("@o", application.ObjectId), ("@n", application.DisplayName), ("@h", application.SecretHash)));

    public Application? GetApplication(string appId) =>
        Query("SELECT app_id, object_id, display_name, secret_hash FROM applications WHERE app_id = @a", [("@a", appId)],
            reader => new Application(reader.GetString(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3))).SingleOrDefault();

    // Plumbing

    /// <summary>Times are stored as UTC round-trip text, so that both databases order and compare them as text.</summary>
    protected static string Text(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string Now() => Text(DateTimeOffset.UtcNow);

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    protected T Run<T>(Func<DbConnection, T> work)
    {
        try
        {
            using var connection = Connect();
            return work(connection);
        }
        catch (Exception e) when (Unavailable(e) is { } unavailable)
        {
            throw unavailable;
        }
    }

    private void Run(Action<DbConnection> work) => Run(connection =>
    {
        work(connection);
        return true;
    });

    private List<T> Query<T>(string sql, (string, object?)[] parameters, Func<DbDataReader, T> read) =>
        Run(connection => Query(connection, null, sql, parameters, read));

    private static List<T> Query<T>(DbConnection connection, DbTransaction? transaction, string sql, (string, object?)[] parameters, Func<DbDataReader, T> read)
    {
        using var command = Command(connection, transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    protected static void Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    public abstract void Dispose();
}
