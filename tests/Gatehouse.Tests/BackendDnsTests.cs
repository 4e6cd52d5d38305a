using System.Net;
using Gatehouse.Gateway.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Tests;

/// <summary>
/// <c>serve --dns-server</c>: a template's pool member given by FQDN is reached at the address the named DNS server
/// gives for it, through the real command line (the TTL and the last good answer are the Gateway tests' BackendNameTests).
/// </summary>
public sealed class BackendDnsTests : IAsyncLifetime
{
    private const string MemberName = "app.example.test";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("gatehouse-dns-").FullName;
    private readonly int _frontendPort = GatehouseProcess.FreePort();
    private readonly DnsResponder _dns = new(MemberName, IPAddress.Loopback);
    private WebApplication _backend = null!;
    private RunningGatehouse _serve = null!;

    private static string Template(int backendPort) => $$"""
        {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "variables": { "gatewayId": "[resourceId('Microsoft.Network/applicationGateways', 'gw')]" },
          "resources": [
            { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "vnet", "location": "[resourceGroup().location]",
              "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] }, "subnets": [ { "name": "gateway", "properties": { "addressPrefix": "10.0.0.0/24" } } ] } },
            { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": "gw-pip", "location": "[resourceGroup().location]",
              "sku": { "name": "Standard" }, "properties": { "publicIPAllocationMethod": "Static" } },
            { "type": "Microsoft.Network/applicationGateways", "apiVersion": "2024-05-01", "name": "gw", "location": "[resourceGroup().location]",
              "dependsOn": [ "[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]", "[resourceId('Microsoft.Network/publicIPAddresses', 'gw-pip')]" ],
              "properties": {
                "sku": { "name": "Standard_v2", "tier": "Standard_v2", "capacity": 1 },
                "gatewayIPConfigurations": [ { "name": "ipconfig", "properties": { "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'gateway')]" } } } ],
                "frontendIPConfigurations": [ { "name": "public", "properties": { "publicIPAddress": { "id": "[resourceId('Microsoft.Network/publicIPAddresses', 'gw-pip')]" } } } ],
                "frontendPorts": [ { "name": "http", "properties": { "port": 80 } } ],
                "backendAddressPools": [ { "name": "pool", "properties": { "backendAddresses": [ { "fqdn": "{{MemberName}}" } ] } } ],
                "backendHttpSettingsCollection": [ { "name": "settings", "properties": { "port": {{backendPort}}, "protocol": "Http" } } ],
                "httpListeners": [ { "name": "listener", "properties": {
                  "frontendIPConfiguration": { "id": "[concat(variables('gatewayId'), '/frontendIPConfigurations/public')]" },
                  "frontendPort": { "id": "[concat(variables('gatewayId'), '/frontendPorts/http')]" }, "protocol": "Http" } } ],
                "requestRoutingRules": [ { "name": "rule", "properties": { "ruleType": "Basic", "priority": 100,
                  "httpListener": { "id": "[concat(variables('gatewayId'), '/httpListeners/listener')]" },
                  "backendAddressPool": { "id": "[concat(variables('gatewayId'), '/backendAddressPools/pool')]" },
                  "backendHttpSettings": { "id": "[concat(variables('gatewayId'), '/backendHttpSettingsCollection/settings')]" } } } ]
              } }
          ]
        }
        """;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _backend = builder.Build();
        _backend.Run(context => context.Response.WriteAsync($"reached {context.Request.Host}"));
        await _backend.StartAsync();
        _serve = await RunningGatehouse.StartAsync("Management API:", "serve", "--data-dir", _dataDirectory, "--management-port", "0",
            "--port-map", $"80={_frontendPort}", "--dns-server", _dns.EndPoint.ToString());
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _backend.DisposeAsync();
        await _dns.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_pool_member_given_by_fqdn_is_reached_at_the_address_the_dns_server_gives()
    {
        Assert.Equal(0, (await Gatehouse("group", "create", "--name", "rg1", "--location", "westeurope")).ExitCode);
        var file = Path.Combine(_dataDirectory, "fqdn.json");
        await File.WriteAllTextAsync(file, Template(new Uri(_backend.Urls.Single()).Port));
        var created = await Gatehouse("deployment", "group", "create", "-g", "rg1", "--template-file", file);
        Assert.True(created.ExitCode == 0, created.ToString());

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var response = await client.GetAsync($"http://127.0.0.1:{_frontendPort}/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"reached 127.0.0.1:{_frontendPort}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_dns_server_that_is_not_an_address_is_refused()
    {
        var refused = await GatehouseProcess.RunGatehouseAsync("serve", "--data-dir", _dataDirectory, "--management-port", "0", "--dns-server", "dns.example:53");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--dns-server 'dns.example:53' is not of the form ADDRESS[:PORT]", refused.Stderr + refused.Stdout);
    }

    private Task<Completed> Gatehouse(params string[] arguments) => GatehouseProcess.RunGatehouseAsync([.. arguments, "--data-dir", _dataDirectory]);
}
