using System.Data.Common;
using Gatehouse.Control.Security;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Control.Store;

/// <summary>
/// The embedded store of one instance: one SQLite file in WAL mode in the data directory. Names and ids compare
/// case-insensitively (COLLATE NOCASE), as ARM does. One instance owns the file, so changes need no lock beyond the
/// deployment engine's own, and there is nobody else to watch.
/// </summary>
internal sealed class SqliteResourceStore : SqlResourceStore
{
    public const string FileName = "gatehouse.db";

    private static readonly string[] SchemaVersions =
    [
        // Version 1 is the schema from before versions were recorded, so files made then take it as it is.
        """
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
        """,
        """
        ALTER TABLE deployments ADD COLUMN instance_id TEXT;
        CREATE TABLE revision (value INTEGER NOT NULL);
        INSERT INTO revision (value) VALUES (0);
        CREATE TABLE instances (
            id TEXT NOT NULL PRIMARY KEY,
            management_url TEXT NOT NULL,
            revision INTEGER NOT NULL,
            started TEXT NOT NULL,
            last_report TEXT NOT NULL);
        """,
        // Files made before versions were recorded may have it already.
        """
        CREATE TABLE IF NOT EXISTS applications (
            app_id TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            object_id TEXT NOT NULL,
            display_name TEXT NOT NULL,
            secret_hash BLOB NOT NULL);
        """,
        "ALTER TABLE instances ADD COLUMN backend_health TEXT;",
    ];

    private readonly string _connectionString;

    private SqliteResourceStore(string connectionString, StoreEncryption encryption, string instanceId) : base(encryption, instanceId)
    {
        _connectionString = connectionString;
    }

    public static SqliteResourceStore Open(string dataDirectory, StoreEncryption encryption, string instanceId)
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
        var store = new SqliteResourceStore(connectionString, encryption, instanceId);
        using var connection = store.Connect();
        Execute(connection, null, "PRAGMA journal_mode = WAL");
        Migrate(connection, SchemaVersions);
        return store;
    }

    protected override string InsertionOrder => "rowid";

    protected override string NameOrder => "name";

    // The only instance is this one: whatever another (earlier) one left unfinished was cut short.
    protected override string OrphanedCondition => "instance_id IS NULL OR instance_id <> @self";

    protected override DbConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public override Task<IAsyncDisposable> LockChangesAsync(CancellationToken ct) => Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    public override async Task WatchAsync(Func<CancellationToken, Task> caughtUp, CancellationToken ct)
    {
        try { await Task.Delay(Timeout.Infinite, ct); }
        catch (OperationCanceledException) { }
    }

    /// <summary>Closes the pooled connections, so that the WAL is checkpointed into the one database file and the file is released.</summary>
    public override void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
