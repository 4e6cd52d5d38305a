using System.Text.Json.Nodes;

namespace Gatehouse.Tests;

/// <summary><c>gatehouse up</c> does what the README promises: the curl commands it prints work as described.</summary>
public sealed class UpCommandTests
{
    [Fact]
    public async Task The_demo_deploys_and_its_printed_curl_commands_show_certificate_and_token_clients_side_by_side()
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-up-").FullName;
        try
        {
            await using var up = await StartAsync(["--data-dir", directory]);

            var commands = up.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("curl ", StringComparison.Ordinal)).ToList();
            Assert.Equal(6, commands.Count);
            var answers = new List<JsonObject>();
            foreach (var command in commands)
            {
                var result = await GatehouseProcess.RunAsync(GatehouseProcess.StartInfo("sh", ["-c", command.Replace("curl ", "curl --silent --show-error --fail --max-time 20 ")]));
                Assert.True(result.ExitCode == 0, $"{command}\n{result}");
                answers.Add(JsonNode.Parse(result.Stdout)!.AsObject());
            }

            string? Verification(JsonObject echo) => (string?)echo["headers"]!["X-Client-Cert-Verification"];
            string? Identity(JsonObject echo) => (string?)echo["headers"]!["x-msft-entra-identity"];
            Assert.Equal(["NONE", "PASSTHROUGH", "NONE", "PASSTHROUGH", "PASSTHROUGH", "NONE"], answers.Select(Verification));
            Assert.Equal([false, false, true, false, false, false], answers.Select(a => Identity(a) is not null));
            Assert.Null(answers[5]["headers"]!["X-Client-Cert"]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The data directory holds the store's data key, the service principal's secret and the demo's private keys.</summary>
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Stopped_it_removes_the_data_directory_it_created(string signal)
    {
        var parent = Directory.CreateTempSubdirectory("gatehouse-up-").FullName;
        var directory = Path.Combine(parent, "data");
        try
        {
            await using var up = await StartAsync(["--data-dir", directory]);
            Assert.True(File.Exists(Path.Combine(directory, "data-encryption.key")));
            Assert.True(File.Exists(Path.Combine(directory, "credentials.json")));

            await up.StopAsync(signal);

            Assert.False(Directory.Exists(directory), up.Output);
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task Stopped_it_removes_its_temporary_directory_and_in_a_given_one_only_what_it_added()
    {
        var temporary = Directory.CreateTempSubdirectory("gatehouse-up-tmp-").FullName;
        var existing = Directory.CreateTempSubdirectory("gatehouse-up-").FullName;
        await File.WriteAllTextAsync(Path.Combine(existing, "notes.txt"), "the user's");
        try
        {
            var info = Up([]);
            info.Environment["TMPDIR"] = temporary;
            await using (var up = await RunningGatehouse.StartAsync(info, Ready))
            {
                Assert.NotEmpty(Directory.EnumerateFileSystemEntries(temporary));
                await up.StopAsync("TERM");
                Assert.Empty(Directory.EnumerateFileSystemEntries(temporary));
            }
            await using (var up = await StartAsync(["--data-dir", existing]))
            {
                await up.StopAsync("TERM");
                Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(existing).Select(Path.GetFileName));
            }
        }
        finally
        {
            Directory.Delete(temporary, recursive: true);
            Directory.Delete(existing, recursive: true);
        }
    }

    [Fact]
    public async Task With_keep_it_leaves_what_it_created()
    {
        var parent = Directory.CreateTempSubdirectory("gatehouse-up-").FullName;
        var directory = Path.Combine(parent, "data");
        try
        {
            await using var up = await StartAsync(["--data-dir", directory, "--keep"]);

            await up.StopAsync("TERM");

            Assert.True(File.Exists(Path.Combine(directory, "credentials.json")), up.Output);
            Assert.True(Directory.Exists(Path.Combine(directory, "demo")));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    private const string Ready = "Press Ctrl+C to stop.";

    private static Task<RunningGatehouse> StartAsync(string[] options) => RunningGatehouse.StartAsync(Up(options), Ready);

    private static System.Diagnostics.ProcessStartInfo Up(string[] options) =>
        GatehouseProcess.Gatehouse(["up", "--port", GatehouseProcess.FreePort().ToString(), "--management-port", "0", .. options]);
}
