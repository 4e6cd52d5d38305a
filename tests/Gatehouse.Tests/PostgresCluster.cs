using System.Security.Cryptography;
using Gatehouse.Tests.Support;

namespace Gatehouse.Tests;

/// <summary>
/// One PostgreSQL 15 cluster (<see cref="TemporaryPostgres"/>) for the PostgreSQL variants of the end-to-end suites, which
/// run in its collection: each variant's serve gets a database of its own (CREATE DATABASE is cheap, a cluster is not).
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    public const string Collection = "PostgreSQL store";

    private TemporaryPostgres _postgres = null!;

    public async Task InitializeAsync() => _postgres = await TemporaryPostgres.StartAsync();

    /// <summary>
    /// The serve options that choose the store: none for <c>null</c> (SQLite in <paramref name="dataDirectory"/>, the
    /// default); else a new database of <paramref name="cluster"/> and a new data key in a file beside it.
    /// </summary>
    public static async Task<string[]> StoreOptionsAsync(PostgresCluster? cluster, string dataDirectory)
    {
        if (cluster is null) return [];
        var keyFile = Path.Combine(dataDirectory, "shared-store.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        return ["--store", await cluster._postgres.CreateDatabaseAsync(), "--data-key-file", keyFile];
    }

    public async Task DisposeAsync() => await _postgres.DisposeAsync();
}

[CollectionDefinition(PostgresCluster.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>;
