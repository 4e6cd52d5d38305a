using System.Runtime.Versioning;

namespace Gatehouse.Tests;

/// <summary>The README's test command, <c>./test</c>, on a machine where it cannot install the packages the tests use.</summary>
[SupportedOSPlatform("linux")]
public sealed class TestCommandTests
{
    [Fact]
    public async Task Without_apt_it_names_the_missing_packages_and_runs_no_test()
    {
        // A PATH with bash and a dotnet that leaves a mark, and nothing else: no apt-get, no sudo, no az, no chromium.
        var bin = Directory.CreateTempSubdirectory("gatehouse-test-command-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(bin, "bash"), "/bin/bash");
            var ran = Path.Combine(bin, "dotnet-ran");
            await File.WriteAllTextAsync(Path.Combine(bin, "dotnet"), $"#!/bin/bash\necho \"$*\" > '{ran}'\n");
            File.SetUnixFileMode(Path.Combine(bin, "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
            var info = GatehouseProcess.StartInfo("/bin/bash", [Path.Combine(GatehouseProcess.RepositoryRoot, "test")]);
            info.Environment["PATH"] = bin;

            var result = await GatehouseProcess.RunAsync(info, timeoutSeconds: 30);

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("test: cannot install", result.Stderr);
            Assert.Contains("azure-cli (end-to-end tests drive the real Azure CLI", result.Stderr);
            Assert.Contains("chromium (", result.Stderr);
            Assert.False(File.Exists(ran), $"dotnet ran: {(File.Exists(ran) ? File.ReadAllText(ran) : "")}");
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }
}
