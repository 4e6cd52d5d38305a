namespace Gatehouse.Tests;

/// <summary>State lives in the SQLite file of the data directory: a restarted serve serves again without a redeploy.</summary>
public sealed class RestartTests(DeployedGateway gateway) : IClassFixture<DeployedGateway>
{
    [Fact]
    public async Task After_an_abrupt_restart_the_gateway_serves_again_without_a_redeploy()
    {
        await gateway.Serve.StopAsync(abruptly: true);
        await gateway.StartServeAsync();
        await gateway.Serve.WaitForAsync("Listener mtlsAppGw/listener2");

        var echo = await gateway.GetThroughGatewayAsync("--cert", gateway.Certificates.ClientPem, "--key", gateway.Certificates.ClientKey);
        Assert.Equal("PASSTHROUGH", DeployedGateway.Header(echo, "X-Client-Cert-Verification"));
        var shown = await GatehouseProcess.RunGatehouseAsync("network", "application-gateway", "show", "-g", DeployedGateway.Group, "-n", "mtlsAppGw", "--data-dir", gateway.DataDirectory);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("\"verifyClientAuthMode\": \"Passthrough\"", shown.Stdout);
    }

    [Fact]
    public async Task The_store_keeps_no_certificate_password_or_pfx_in_plain_text()
    {
        var store = Directory.GetFiles(gateway.DataDirectory, "gatehouse.db*").Select(File.ReadAllBytes).SelectMany(b => b).ToArray();
        var text = System.Text.Encoding.Latin1.GetString(store);
        Assert.NotEmpty(store);
        Assert.DoesNotContain(gateway.Certificates.PfxPassword, text);
        Assert.DoesNotContain(Convert.ToBase64String(File.ReadAllBytes(gateway.Certificates.ServerPfx))[..64], text);
    }
}
