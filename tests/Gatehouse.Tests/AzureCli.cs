namespace Gatehouse.Tests;

/// <summary>
/// The real Azure CLI with all of its state in a temporary <c>AZURE_CONFIG_DIR</c>, trusting only the management CA,
/// with telemetry off, the import shim Debian's az needs for <c>az network ...</c> (azure-cli.md §4) on PYTHONPATH, and the
/// management port as its HTTPS proxy, through which <c>https://{vault}.vault.azure.net</c> reaches the local Key Vault.
/// </summary>
internal sealed class AzureCli : IDisposable
{
    private const string ShimSource = "az-network-alias.py";

    private readonly string _executable;
    private readonly string _configDirectory = Directory.CreateTempSubdirectory("gatehouse-az-").FullName;
    private readonly string _caFile;
    private readonly Uri _managementUrl;

    private AzureCli(string executable, string caFile, Uri managementUrl)
    {
        _executable = executable;
        _caFile = caFile;
        _managementUrl = managementUrl;
        Directory.CreateDirectory(ShimDirectory);
        File.Copy(Path.Combine(GatehouseProcess.RepositoryRoot, "..", "shared", "tools", ShimSource), Path.Combine(ShimDirectory, "sitecustomize.py"));
    }

    private string ShimDirectory => Path.Combine(_configDirectory, "shim");

    /// <summary>Fails (never skips) when az is not installed, so that a green run always means az was driven.</summary>
    public static AzureCli Start(string caFile, Uri managementUrl)
    {
        var executable = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "az"))
            .FirstOrDefault(File.Exists);
        Assert.True(executable is not null,
            "The Azure CLI (az) is not installed; these tests drive the real az. Install it: apt-get install -y azure-cli (bash .ci/run does this).");
        return new AzureCli(executable, caFile, managementUrl);
    }

    /// <summary>Runs az in <paramref name="workingDirectory"/>, so that relative file arguments read as a user types them.</summary>
    public Task<Completed> RunAsync(string workingDirectory, params string[] arguments)
    {
        var info = GatehouseProcess.StartInfo(_executable, arguments);
        info.WorkingDirectory = workingDirectory;
        info.Environment["AZURE_CONFIG_DIR"] = _configDirectory;
        info.Environment["REQUESTS_CA_BUNDLE"] = _caFile;
        info.Environment["AZURE_CORE_COLLECT_TELEMETRY"] = "false";
        info.Environment["AZURE_CORE_NO_COLOR"] = "true";
        info.Environment["PYTHONPATH"] = ShimDirectory;
        info.Environment["HTTPS_PROXY"] = $"http://{_managementUrl.Authority}";
        info.Environment["NO_PROXY"] = _managementUrl.Host;
        return GatehouseProcess.RunAsync(info, timeoutSeconds: 60);
    }

    public void Dispose() => Directory.Delete(_configDirectory, recursive: true);
}
