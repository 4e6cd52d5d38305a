using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Gatehouse.Tests.Support;

/// <summary>
/// Debian's PostgreSQL 15 in a cluster of its own: initdb in a temporary directory (as the postgres user when the tests
/// run as root, which PostgreSQL refuses), on a free loopback port, with a password (scram) given to clients through
/// PGPASSWORD as a user would. StopAsync and ResumeAsync take it away and bring it back; Dispose removes it.
/// </summary>
public sealed class TemporaryPostgres : IAsyncDisposable
{
    public const string User = "gatehouse";
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private static int _databases;

    private readonly string _directory;
    private readonly string _runAs;

    private TemporaryPostgres(string directory, string runAs, int port)
    {
        (_directory, _runAs, Port) = (directory, runAs, port);
    }

    public int Port { get; }

    /// <summary>
    /// The superuser's password; clients take it from PGPASSWORD, which is one for the whole test process, so every
    /// cluster of the process has the same.
    /// </summary>
    public static string Password { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    private string DataDirectory => Path.Combine(_directory, "data");

    public static async Task<TemporaryPostgres> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-pg-").FullName;
        var runAs = Environment.UserName == "root" ? "postgres" : "";
        File.WriteAllText(Path.Combine(directory, "password"), Password);
        if (runAs.Length > 0) await RunAsync("", "chown", "-R", runAs, directory);
        var postgres = new TemporaryPostgres(directory, runAs, FreePort());
        await RunAsync(runAs, $"{Bin}/initdb", "--pgdata", postgres.DataDirectory, "--username", User, "--auth", "scram-sha-256",
            "--pwfile", Path.Combine(directory, "password"), "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-sync");
        await postgres.ResumeAsync();
        // Npgsql reads it as libpq does; set for the whole test process, as a user's shell would.
        Environment.SetEnvironmentVariable("PGPASSWORD", Password);
        return postgres;
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>).</summary>
    public Task ResumeAsync() => RunAsync(_runAs, $"{Bin}/pg_ctl", "--pgdata", DataDirectory, "--log", Path.Combine(_directory, "log"), "--wait",
        "--options", $"-c listen_addresses=127.0.0.1 -c port={Port} -c unix_socket_directories={_directory} -c fsync=off -c max_connections=200", "start");

    public Task StopAsync() => RunAsync(_runAs, $"{Bin}/pg_ctl", "--pgdata", DataDirectory, "--wait", "--mode", "fast", "stop");

    /// <summary>A new empty database, and its <c>--store</c> URL (no password: that is in PGPASSWORD).</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"gatehouse{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username={User};Password={Password};Database=postgres");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return $"postgres://{User}@127.0.0.1:{Port}/{name}";
    }

    public async ValueTask DisposeAsync()
    {
        try { await RunAsync(_runAs, $"{Bin}/pg_ctl", "--pgdata", DataDirectory, "--wait", "--mode", "immediate", "stop"); }
        catch (InvalidOperationException) { /* already stopped */ }
        Directory.Delete(_directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string runAs, string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(runAs.Length > 0 ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (runAs.Length > 0) foreach (var prefix in new[] { "-u", runAs, "--", program }) info.ArgumentList.Add(prefix);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
    }
}
