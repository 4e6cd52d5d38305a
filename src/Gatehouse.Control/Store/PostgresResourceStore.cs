using System.Data.Common;
using System.Globalization;
using Gatehouse.Control.Security;
using Gatehouse.Errors;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gatehouse.Control.Store;

/// <summary>
/// The store that several instances share: one PostgreSQL database. Names and ids compare case-insensitively through a
/// nondeterministic ICU collation, as ARM does. Changes are serialised across instances by an advisory lock held from
/// check to commit; each commit bumps the stored revision and announces it with NOTIFY in the same transaction, so
/// that the announcement exists exactly when the change does. The data key is the instances' own (see
/// <see cref="DataKey"/>), never the database's.
/// </summary>
internal sealed class PostgresResourceStore : SqlResourceStore
{
    /// <summary>The channel that carries each new revision.</summary>
    public const string Channel = "gatehouse_revisions";

    // Arbitrary but fixed: every instance must take the same advisory locks.
    private const long ChangeLock = 0x6761_7465_0001;
    private const long MigrationLock = 0x6761_7465_0002;

    private static readonly string[] SchemaVersions =
    [
        """
        CREATE COLLATION IF NOT EXISTS gatehouse_nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
        CREATE TABLE resource_groups (
            subscription_id text COLLATE gatehouse_nocase NOT NULL,
            name text COLLATE gatehouse_nocase NOT NULL,
            location text NOT NULL,
            tags text NOT NULL,
            PRIMARY KEY (subscription_id, name));
        CREATE TABLE resources (
            seq bigserial NOT NULL,
            id text COLLATE gatehouse_nocase NOT NULL PRIMARY KEY,
            subscription_id text COLLATE gatehouse_nocase NOT NULL,
            resource_group text COLLATE gatehouse_nocase NOT NULL,
            type text COLLATE gatehouse_nocase NOT NULL,
            name text NOT NULL,
            api_version text NOT NULL,
            body bytea NOT NULL);
        CREATE INDEX resources_by_group ON resources (subscription_id, resource_group);
        CREATE TABLE deployments (
            subscription_id text COLLATE gatehouse_nocase NOT NULL,
            resource_group text COLLATE gatehouse_nocase NOT NULL,
            name text COLLATE gatehouse_nocase NOT NULL,
            provisioning_state text NOT NULL,
            mode text NOT NULL,
            template_hash text NOT NULL,
            correlation_id text NOT NULL,
            operation_id text NOT NULL,
            timestamp text NOT NULL,
            end_time text,
            parameters bytea,
            outputs bytea,
            error text,
            operations text NOT NULL,
            instance_id text,
            PRIMARY KEY (subscription_id, resource_group, name));
        CREATE TABLE revision (value bigint NOT NULL);
        INSERT INTO revision (value) VALUES (0);
        CREATE TABLE instances (
            id text NOT NULL PRIMARY KEY,
            management_url text NOT NULL,
            revision bigint NOT NULL,
            started text NOT NULL,
            last_report text NOT NULL);
        """,
        """
        CREATE TABLE applications (
            app_id text COLLATE gatehouse_nocase NOT NULL PRIMARY KEY,
            object_id text NOT NULL,
            display_name text NOT NULL,
            secret_hash bytea NOT NULL);
        """,
        "ALTER TABLE instances ADD COLUMN backend_health text;",
    ];

    // Two pools: the store's calls are synchronous, the change lock and LISTEN asynchronous, on connections of their own.
    // Either way a socket's readiness is reported by a socket event thread, which runs completions inline here (see
    // Program.cs): synchronous store work must therefore never run on that thread (see ContinueOnThreadPool).
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _asyncDataSource;
    private readonly string _where;
    private readonly ILogger _logger;

    private PostgresResourceStore(NpgsqlDataSource dataSource, NpgsqlDataSource asyncDataSource, string where, StoreEncryption encryption, string instanceId,
        ILogger logger) : base(encryption, instanceId)
    {
        (_dataSource, _asyncDataSource, _where, _logger) = (dataSource, asyncDataSource, where, logger);
    }

    /// <summary>The store's encryption, dated by the store's creation so that every instance reports the same.</summary>
    public StoreEncryption Encryption { get; private init; } = null!;

    /// <summary>Connects to <c>postgres://USER@HOST:PORT/DATABASE</c> and applies the schema versions it lacks.</summary>
    public static PostgresResourceStore Open(string url, byte[] dataKey, string instanceId, ILogger logger)
    {
        var builder = ConnectionString(url);
        var where = $"{builder.Host}:{builder.Port}/{builder.Database}";
        var dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            using var connection = dataSource.OpenConnection();
            // Instances starting together take turns, so that each version is applied once.
            Execute(connection, null, "SELECT pg_advisory_lock(@key)", ("@key", MigrationLock));
            Migrate(connection, SchemaVersions);
            Execute(connection, null, "SELECT pg_advisory_unlock(@key)", ("@key", MigrationLock));
            using var first = Command(connection, null, "SELECT applied FROM schema_versions WHERE version = 1", []);
            var created = DateTimeOffset.Parse((string)first.ExecuteScalar()!, CultureInfo.InvariantCulture);
            var encryption = new StoreEncryption(dataKey, created);
            return new PostgresResourceStore(dataSource, NpgsqlDataSource.Create(builder), where, encryption, instanceId, logger) { Encryption = encryption };
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            dataSource.Dispose();
            throw new ArmException("StoreUnavailable", $"The PostgreSQL store at {where} could not be opened: {e.Message}", "--store");
        }
    }

    /// <summary>
    /// <c>postgres://USER@HOST:PORT/DATABASE</c> (or <c>postgresql://</c>); the password comes from PGPASSWORD or the
    /// password file as libpq finds it, never from the URL, so that it is not on a command line.
    /// </summary>
    public static NpgsqlConnectionStringBuilder ConnectionString(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql")
            || uri.AbsolutePath.Trim('/') is not { Length: > 0 } database || uri.UserInfo.Length == 0)
            throw new ArmException("InvalidArgument", $"--store '{Redacted(url)}' is not of the form postgres://USER@HOST:PORT/DATABASE.", "--store");
        if (uri.UserInfo.Contains(':'))
            throw new ArmException("InvalidArgument",
                "--store must not carry a password: give it in PGPASSWORD or a password file (~/.pgpass or PGPASSFILE), as for psql.", "--store");
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Username = Uri.UnescapeDataString(uri.UserInfo),
            Database = Uri.UnescapeDataString(database),
            ApplicationName = "gatehouse",
            // A management call while the database is away fails within seconds with a clear 503 (at once when it refuses).
            Timeout = 10,
            CommandTimeout = 15,
            // The LISTEN connection notices a database that went away without closing it. TCP's keepalive rather than
            // Npgsql's keepalive query, whose timer reads the connection synchronously while the notification wait holds it.
            TcpKeepAlive = true,
            TcpKeepAliveTime = 5,
            TcpKeepAliveInterval = 2,
        };
    }

    private static string Redacted(string url) => url.Contains('@') ? "postgres://…@" + url[(url.LastIndexOf('@') + 1)..] : url;

    protected override string InsertionOrder => "seq";

    // The ICU collation that compares names sorts punctuation its own way ('_' before '-' and '('); under "C", lower()
    // folds ASCII letters only, as NOCASE does.
    protected override string NameOrder => "lower(name COLLATE \"C\") COLLATE \"C\"";

    protected override string OrphanedCondition =>
        "instance_id IS NULL OR (instance_id <> @self AND instance_id NOT IN (SELECT id FROM instances WHERE last_report > @alive))";

    protected override DbConnection Connect() => _dataSource.OpenConnection();

    protected override void Committed(DbConnection connection, DbTransaction transaction, long revision) =>
        Execute(connection, transaction, "SELECT pg_notify(@channel, @revision)", ("@channel", Channel), ("@revision", revision.ToString(CultureInfo.InvariantCulture)));

    protected override Exception? Unavailable(Exception e) => e switch
    {
        PostgresException { SqlState: var state } when state.StartsWith("57P", StringComparison.Ordinal) || state.StartsWith("08", StringComparison.Ordinal) => StoreUnavailable(e),
        PostgresException => null,
        NpgsqlException or System.Net.Sockets.SocketException or TimeoutException => StoreUnavailable(e),
        _ => null,
    };

    private ArmException StoreUnavailable(Exception e)
    {
        _logger.LogWarning("The PostgreSQL store at {Where} cannot be reached: {Message}", _where, e.Message);
        return new ArmException("StoreUnavailable",
            $"The configuration store (PostgreSQL at {_where}) cannot be reached, so no configuration can be read or changed now. " +
            "The gateways keep serving their last configuration; try again when the store is back.");
    }

    // The lock is granted when another instance releases it, so it is taken on a socket event thread; what follows commits
    // synchronously.
    public override Task<IAsyncDisposable> LockChangesAsync(CancellationToken ct) => ContinueOnThreadPool(TakeChangeLockAsync(ct));

    private async Task<IAsyncDisposable> TakeChangeLockAsync(CancellationToken ct)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _asyncDataSource.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 };
            command.Parameters.AddWithValue("key", ChangeLock);
            await command.ExecuteNonQueryAsync(ct);
            return new ChangeLockHeld(connection);
        }
        catch (Exception e) when (Unavailable(e) is { } unavailable)
        {
            if (connection is not null) await connection.DisposeAsync();
            throw unavailable;
        }
        catch
        {
            if (connection is not null) await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The advisory lock lives as long as its session: released here, or by the server if this instance dies.</summary>
    private sealed class ChangeLockHeld(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                command.Parameters.AddWithValue("key", ChangeLock);
                await ContinueOnThreadPool(command.ExecuteNonQueryAsync());
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                // The session is gone, and the lock with it.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// LISTENs on <see cref="Channel"/>; after each (re)connection it calls <paramref name="caughtUp"/> once before
    /// waiting, because a revision committed while no one listened was announced to no one.
    /// </summary>
    public override async Task WatchAsync(Func<CancellationToken, Task> caughtUp, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _asyncDataSource.OpenConnectionAsync(ct);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await ContinueOnThreadPool(listen.ExecuteNonQueryAsync(ct));
                delay = TimeSpan.FromMilliseconds(200);
                await caughtUp(ct);
                while (true)
                {
                    // A notification arrives on a socket event thread; catching up reads the store synchronously.
                    await ContinueOnThreadPool(connection.WaitAsync(ct));
                    await caughtUp(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogWarning("Watching the PostgreSQL store at {Where} failed ({Message}); reconnecting in {Delay} ms", _where, e.Message, delay.TotalMilliseconds);
                try { await Task.Delay(delay, ct); }
                catch (OperationCanceledException) { return; }
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
        }
    }

    /// <summary>
    /// Awaits <paramref name="task"/> and continues on the thread pool, never on the socket event thread that completed it.
    /// Synchronous store calls wait for that thread to report their own socket ready, so run on it they stall every
    /// socket it serves until their command timeout (15 s, then the cancellation's own connection waits too): that was
    /// a revision reaching the other instances 20 to 50 s late on a busy machine. ConfigureAwaitOptions.ForceYielding
    /// does not do this: it yields only for a task already completed, and runs the continuation inline otherwise.
    /// </summary>
    private static async Task<T> ContinueOnThreadPool<T>(Task<T> task)
    {
        // Failed or not: a caller's catch may call the store too. No synchronization context here, so Yield queues to the thread pool.
        try { return await task.ConfigureAwait(false); }
        finally { await Task.Yield(); }
    }

    private static Task ContinueOnThreadPool(Task task) => ContinueOnThreadPool(Completion(task));

    private static async Task<bool> Completion(Task task)
    {
        await task.ConfigureAwait(false);
        return true;
    }

    public override void Dispose()
    {
        _dataSource.Dispose();
        _asyncDataSource.Dispose();
    }
}
