using System.Text.Json.Nodes;

namespace Gatehouse.Tests;

/// <summary><c>gatehouse up</c> does what the README promises: the curl commands it prints work as described.</summary>
public sealed class UpCommandTests
{
    [Fact]
    public async Task The_demo_deploys_and_its_printed_curl_commands_show_passthrough()
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-up-").FullName;
        try
        {
            await using var up = await RunningGatehouse.StartAsync("Press Ctrl+C to stop.",
                "up", "--data-dir", directory, "--port", GatehouseProcess.FreePort().ToString(), "--management-port", "0");

            var commands = up.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("curl ", StringComparison.Ordinal)).ToList();
            Assert.Equal(5, commands.Count);
            var answers = new List<JsonObject>();
            foreach (var command in commands)
            {
                var result = await GatehouseProcess.RunAsync(GatehouseProcess.StartInfo("sh", ["-c", command.Replace("curl ", "curl --silent --show-error --fail --max-time 20 ")]));
                Assert.True(result.ExitCode == 0, $"{command}\n{result}");
                answers.Add(JsonNode.Parse(result.Stdout)!.AsObject());
            }

            string? Verification(JsonObject echo) => (string?)echo["headers"]!["X-Client-Cert-Verification"];
            Assert.Equal(["NONE", "PASSTHROUGH", "PASSTHROUGH", "PASSTHROUGH", "NONE"], answers.Select(Verification));
            Assert.Null(answers[4]["headers"]!["X-Client-Cert"]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
