namespace Gatehouse.Tests;

/// <summary>serve without the access log and metrics, as nginx's <c>access_log off</c>: the gateway serves as before and keeps neither.</summary>
public sealed class ServeOptionsTests(DeployedGateway gateway) : IClassFixture<DeployedGateway>
{
    [Fact]
    public async Task Without_access_log_and_metrics_the_gateway_serves_writes_no_log_and_exports_no_metrics()
    {
        await gateway.Serve.StopAsync(abruptly: false);
        var logs = Path.Combine(gateway.DataDirectory, "logs");
        if (Directory.Exists(logs)) Directory.Delete(logs, recursive: true);
        await gateway.StartServeAsync("--no-access-log", "--no-metrics");
        await gateway.Serve.WaitForAsync("Listener mtlsAppGw/listener2");

        var echo = await gateway.GetThroughGatewayAsync("--cert", gateway.Certificates.ClientPem, "--key", gateway.Certificates.ClientKey);
        Assert.Equal("PASSTHROUGH", DeployedGateway.Header(echo, "X-Client-Cert-Verification"));
        var url = Control.ServeRegistration.Read(gateway.DataDirectory)!;
        var metrics = await GatehouseProcess.CurlAsync("-s", "-o", "/dev/null", "-w", "%{http_code}",
            "--cacert", Path.Combine(gateway.DataDirectory, Control.ManagementServer.CaFileName), new Uri(url, "metrics").ToString());
        Assert.Equal("404", metrics.Stdout);
        Assert.False(File.Exists(Path.Combine(logs, "access.log")), "serve --no-access-log wrote an access log");
    }

    [Fact]
    public async Task The_management_api_binds_the_address_given_and_the_command_line_finds_it_there()
    {
        await gateway.Serve.StopAsync(abruptly: false);
        await gateway.StartServeAsync("--management-address", "::1");
        await gateway.Serve.WaitForAsync("Management API:");

        Assert.Equal("[::1]", Control.ServeRegistration.Read(gateway.DataDirectory)!.Host);
        var shown = await GatehouseProcess.RunGatehouseAsync("group", "list", "--data-dir", gateway.DataDirectory);
        Assert.True(shown.ExitCode == 0, shown.ToString());
    }

    [Fact]
    public async Task Printing_an_access_log_that_is_turned_off_is_refused()
    {
        var refused = await GatehouseProcess.RunGatehouseAsync("serve", "--data-dir", gateway.DataDirectory, "--management-port", "0",
            "--no-access-log", "--access-log-stdout");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--no-access-log", refused.Stderr + refused.Stdout);
    }
}
