
namespace Gatehouse.Tests;

/// <summary>
/// Each frontend has its own local address, as each has its own address in Azure: two gateways of one template both
/// listen on frontend port 80, each on its public IP's loopback address, and a private frontend shares that port too.
/// </summary>
public sealed class FrontendAddressTests : IAsyncLifetime
{
    private static string Gateway(string name, string backend, bool withPrivateFrontend)
    {
        var subnet = $"[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', '{name}')]";
        string Child(string collection, string child) => $"[resourceId('Microsoft.Network/applicationGateways/{collection}', '{name}', '{child}')]";
        string Listener(string frontend) => $$"""
            { "name": "{{frontend}}", "properties": { "protocol": "Http",
              "frontendIPConfiguration": { "id": "{{Child("frontendIPConfigurations", frontend)}}" },
              "frontendPort": { "id": "{{Child("frontendPorts", "http")}}" } } }
            """;
        string Rule(string listener, int priority, string pool) => $$"""
            { "name": "{{listener}}", "properties": { "ruleType": "Basic", "priority": {{priority}},
              "httpListener": { "id": "{{Child("httpListeners", listener)}}" },
              "backendAddressPool": { "id": "{{Child("backendAddressPools", pool)}}" },
              "backendHttpSettings": { "id": "{{Child("backendHttpSettingsCollection", "settings")}}" } } }
            """;
        var privateFrontend = $$"""
            , { "name": "private", "properties": { "privateIPAllocationMethod": "Static", "privateIPAddress": "10.0.1.10", "subnet": { "id": "{{subnet}}" } } }
            """;
        return $$"""
            { "type": "Microsoft.Network/applicationGateways", "apiVersion": "2024-05-01", "name": "{{name}}", "location": "[resourceGroup().location]",
              "dependsOn": [ "[resourceId('Microsoft.Network/publicIPAddresses', '{{name}}-pip')]", "[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]" ],
              "properties": {
                "sku": { "name": "Standard_v2", "tier": "Standard_v2", "capacity": 1 },
                "gatewayIPConfigurations": [ { "name": "ipconfig", "properties": { "subnet": { "id": "{{subnet}}" } } } ],
                "frontendIPConfigurations": [ { "name": "public", "properties": { "publicIPAddress": { "id": "[resourceId('Microsoft.Network/publicIPAddresses', '{{name}}-pip')]" } } }
                  {{(withPrivateFrontend ? privateFrontend : "")}} ],
                "frontendPorts": [ { "name": "http", "properties": { "port": 80 } } ],
                "backendAddressPools": [ { "name": "pool", "properties": { "backendAddresses": [ { "fqdn": "{{backend}}.test" } ] } },
                                         { "name": "inside", "properties": { "backendAddresses": [ { "fqdn": "private.test" } ] } } ],
                "backendHttpSettingsCollection": [ { "name": "settings", "properties": { "port": 80, "protocol": "Http" } } ],
                "httpListeners": [ {{Listener("public")}} {{(withPrivateFrontend ? ", " + Listener("private") : "")}} ],
                "requestRoutingRules": [ {{Rule("public", 100, "pool")}} {{(withPrivateFrontend ? ", " + Rule("private", 200, "inside") : "")}} ]
              } }
            """;
    }

    private static string Pip(string name) => $$"""
        { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": "{{name}}-pip", "location": "[resourceGroup().location]",
          "sku": { "name": "Standard" }, "properties": { "publicIPAllocationMethod": "Static" } }
        """;

    private static readonly string Template = $$"""
        {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "resources": [
            { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "vnet", "location": "[resourceGroup().location]",
              "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] },
                "subnets": [ { "name": "first", "properties": { "addressPrefix": "10.0.0.0/24" } }, { "name": "second", "properties": { "addressPrefix": "10.0.1.0/24" } } ] } },
            {{Pip("first")}}, {{Pip("second")}},
            {{Gateway("first", "one", withPrivateFrontend: false)}},
            {{Gateway("second", "two", withPrivateFrontend: true)}}
          ],
          "outputs": {
            "first": { "type": "string", "value": "[reference(resourceId('Microsoft.Network/publicIPAddresses', 'first-pip')).ipAddress]" },
            "second": { "type": "string", "value": "[reference(resourceId('Microsoft.Network/publicIPAddresses', 'second-pip')).ipAddress]" }
          }
        }
        """;

    private static readonly string[] Backends = ["one", "two", "private"];

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("gatehouse-frontends-").FullName;
    private readonly int _frontendPort = GatehouseProcess.FreePort();
    private NamedBackends _backends = null!;
    private RunningGatehouse _serve = null!;

    public async Task InitializeAsync()
    {
        _backends = await NamedBackends.StartAsync(Backends);
        _serve = await RunningGatehouse.StartAsync("Management API:",
        [
            "serve", "--data-dir", _dataDirectory, "--management-port", "0", "--port-map", $"80={_frontendPort}",
            .. _backends.ResolveOptions(n => $"{n}.test"),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _backends.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Two_gateways_and_a_private_frontend_share_frontend_port_80_each_on_its_own_address_serving_its_own_backend()
    {
        var created = await DeployAsync();

        var outputs = System.Text.Json.Nodes.JsonNode.Parse(created.Stdout)!["properties"]!["outputs"]!;
        Assert.Equal("127.0.0.1", outputs["first"]!["value"]!.GetValue<string>());
        Assert.Equal("127.0.0.2", outputs["second"]!["value"]!.GetValue<string>());
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        // The private frontend 10.0.1.10 is served at 127.(128 + 0).1.10.
        foreach (var (address, backend) in new[] { ("127.0.0.1", "one"), ("127.0.0.2", "two"), ("127.128.1.10", "private") })
            Assert.Equal(backend, await client.GetStringAsync($"http://{address}:{_frontendPort}/"));
        await _serve.WaitForAsync($"Listener second/private: http://127.128.1.10:{_frontendPort}");
    }

    [Fact]
    public async Task Show_with_local_addresses_names_the_local_address_and_port_that_serves_each_frontend_and_plain_show_stays_azures()
    {
        await DeployAsync();

        var local = await Gatehouse("network", "application-gateway", "show", "-g", "rg1", "-n", "second", "--local-addresses");
        var show = await Gatehouse("network", "application-gateway", "show", "-g", "rg1", "-n", "second");

        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Equal(
            [("public", $"127.0.0.2:{_frontendPort}"), ("private", $"127.128.1.10:{_frontendPort}")],
            System.Text.Json.Nodes.JsonNode.Parse(local.Stdout)!.AsArray().Select(f => (f!["name"]!.GetValue<string>(), string.Join(",", f["localEndPoints"]!.AsArray()))));
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.DoesNotContain("localEndPoints", show.Stdout);
        Assert.Equal(2, System.Text.Json.Nodes.JsonNode.Parse(show.Stdout)!["properties"]!["frontendIPConfigurations"]!.AsArray().Count);
    }

    private async Task<Completed> DeployAsync()
    {
        Assert.Equal(0, (await Gatehouse("group", "create", "--name", "rg1", "--location", "westeurope")).ExitCode);
        var file = Path.Combine(_dataDirectory, "two-gateways.json");
        await File.WriteAllTextAsync(file, Template);
        var created = await Gatehouse("deployment", "group", "create", "-g", "rg1", "--template-file", file);
        Assert.True(created.ExitCode == 0, created.ToString());
        return created;
    }

    private Task<Completed> Gatehouse(params string[] arguments) => GatehouseProcess.RunGatehouseAsync([.. arguments, "--data-dir", _dataDirectory]);
}
