using System.Net;
using System.Text.Json.Nodes;

namespace Gatehouse.Tests;

/// <summary>
/// A template as the public ones are written, deployed through the real command line: its gateway takes its subnet from
/// a module's outputs, stamps its public IP's address and its identity's principalId on responses, and has no backend
/// address of its own: a network interface and a two-instance scale set join its pool, and --resolve sends their private
/// addresses to local services.
/// </summary>
public sealed class ComputedValuesScenarioTests : IAsyncLifetime
{
    private const int MaxRequests = 60;

    private const string Template = """
        {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "variables": {
            "gatewayId": "[resourceId('Microsoft.Network/applicationGateways', 'gw')]",
            "identityId": "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'gw-identity')]",
            "pool": { "id": "[concat(variables('gatewayId'), '/backendAddressPools/members')]" }
          },
          "resources": [
            { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "network",
              "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
                "template": {
                  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                  "contentVersion": "1.0.0.0",
                  "resources": [
                    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "vnet", "location": "[resourceGroup().location]",
                      "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] },
                        "subnets": [ { "name": "gateway", "properties": { "addressPrefix": "10.0.0.0/24" } },
                                     { "name": "backend", "properties": { "addressPrefix": "10.0.1.0/24" } } ] } }
                  ],
                  "outputs": {
                    "gatewaySubnetId": { "type": "string", "value": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'gateway')]" },
                    "backendSubnetId": { "type": "string", "value": "[reference(resourceId('Microsoft.Network/virtualNetworks', 'vnet')).subnets[1].id]" }
                  } } } },
            { "type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31", "name": "gw-identity", "location": "[resourceGroup().location]" },
            { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": "gw-pip", "location": "[resourceGroup().location]",
              "sku": { "name": "Standard" }, "properties": { "publicIPAllocationMethod": "Static" } },
            { "type": "Microsoft.Network/applicationGateways", "apiVersion": "2024-05-01", "name": "gw", "location": "[resourceGroup().location]",
              "identity": { "type": "UserAssigned", "userAssignedIdentities": { "[variables('identityId')]": {} } },
              "properties": {
                "sku": { "name": "Standard_v2", "tier": "Standard_v2", "capacity": 1 },
                "gatewayIPConfigurations": [ { "name": "ipconfig", "properties": { "subnet": { "id": "[reference('network').outputs.gatewaySubnetId.value]" } } } ],
                "frontendIPConfigurations": [ { "name": "public", "properties": { "publicIPAddress": { "id": "[resourceId('Microsoft.Network/publicIPAddresses', 'gw-pip')]" } } } ],
                "frontendPorts": [ { "name": "http", "properties": { "port": 80 } } ],
                "backendAddressPools": [ { "name": "members" } ],
                "backendHttpSettingsCollection": [ { "name": "settings", "properties": { "port": 80, "protocol": "Http" } } ],
                "httpListeners": [ { "name": "listener", "properties": {
                  "frontendIPConfiguration": { "id": "[concat(variables('gatewayId'), '/frontendIPConfigurations/public')]" },
                  "frontendPort": { "id": "[concat(variables('gatewayId'), '/frontendPorts/http')]" }, "protocol": "Http" } } ],
                "rewriteRuleSets": [ { "name": "stamp", "properties": { "rewriteRules": [ { "name": "stamp", "ruleSequence": 100, "actionSet": {
                  "responseHeaderConfigurations": [
                    { "headerName": "X-Frontend-Address", "headerValue": "[reference(resourceId('Microsoft.Network/publicIPAddresses', 'gw-pip')).ipAddress]" },
                    { "headerName": "X-Gateway-Principal", "headerValue": "[reference(variables('identityId')).principalId]" } ] } } ] } } ],
                "requestRoutingRules": [ { "name": "rule", "properties": { "ruleType": "Basic", "priority": 100,
                  "httpListener": { "id": "[concat(variables('gatewayId'), '/httpListeners/listener')]" },
                  "backendAddressPool": "[variables('pool')]",
                  "backendHttpSettings": { "id": "[concat(variables('gatewayId'), '/backendHttpSettingsCollection/settings')]" },
                  "rewriteRuleSet": { "id": "[concat(variables('gatewayId'), '/rewriteRuleSets/stamp')]" } } } ]
              } },
            { "type": "Microsoft.Network/networkInterfaces", "apiVersion": "2024-05-01", "name": "backend-nic", "location": "[resourceGroup().location]",
              "dependsOn": [ "[variables('gatewayId')]" ],
              "properties": { "ipConfigurations": [ { "name": "ipconfig", "properties": { "privateIPAllocationMethod": "Dynamic",
                "subnet": { "id": "[reference('network').outputs.backendSubnetId.value]" },
                "applicationGatewayBackendAddressPools": [ "[variables('pool')]" ] } } ] } },
            { "type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": "2024-07-01", "name": "backend-vmss", "location": "[resourceGroup().location]",
              "dependsOn": [ "[resourceId('Microsoft.Network/networkInterfaces', 'backend-nic')]" ],
              "sku": { "name": "Standard_B1s", "capacity": 2 },
              "properties": { "virtualMachineProfile": { "networkProfile": { "networkInterfaceConfigurations": [ { "name": "nic", "properties": {
                "primary": true, "ipConfigurations": [ { "name": "ipconfig", "properties": {
                  "subnet": { "id": "[reference('network').outputs.backendSubnetId.value]" },
                  "applicationGatewayBackendAddressPools": [ "[variables('pool')]" ] } } ] } } ] } } } }
          ],
          "outputs": {
            "nicAddress": { "type": "string", "value": "[reference('backend-nic').ipConfigurations[0].properties.privateIPAddress]" },
            "principalId": { "type": "string", "value": "[reference(variables('identityId')).principalId]" }
          }
        }
        """;

    // The interface is deployed first, so it takes the subnet's first address and the instances the next two.
    private static readonly string[] PrivateAddresses = ["10.0.1.4", "10.0.1.5", "10.0.1.6"];

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("gatehouse-computed-").FullName;
    private readonly int _frontendPort = GatehouseProcess.FreePort();
    private NamedBackends _backends = null!;
    private RunningGatehouse _serve = null!;

    public async Task InitializeAsync()
    {
        _backends = await NamedBackends.StartAsync(PrivateAddresses);
        _serve = await RunningGatehouse.StartAsync("Management API:",
        [
            "serve", "--data-dir", _dataDirectory, "--management-port", "0", "--port-map", $"80={_frontendPort}",
            .. _backends.ResolveOptions(a => a),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _backends.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>The template deployed into rg1; its outputs.</summary>
    private async Task<JsonNode> DeployAsync()
    {
        Assert.Equal(0, (await Gatehouse("group", "create", "--name", "rg1", "--location", "westeurope")).ExitCode);
        var file = Path.Combine(_dataDirectory, "computed.json");
        await File.WriteAllTextAsync(file, Template);
        var created = await Gatehouse("deployment", "group", "create", "-g", "rg1", "--template-file", file);
        Assert.True(created.ExitCode == 0, created.ToString());
        return JsonNode.Parse(created.Stdout)!["properties"]!["outputs"]!;
    }

    [Fact]
    public async Task A_gateway_built_from_a_module_s_subnet_its_public_IP_an_identity_and_interface_and_scale_set_members_serves_each_member()
    {
        var outputs = await DeployAsync();

        Assert.Equal(PrivateAddresses[0], outputs["nicAddress"]!["value"]!.GetValue<string>());
        var principal = outputs["principalId"]!["value"]!.GetValue<string>();
        Assert.True(Guid.TryParse(principal, out _), principal);

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var answered = new HashSet<string>();
        for (var request = 0; request < MaxRequests && answered.Count < PrivateAddresses.Length; request++)
        {
            using var response = await client.GetAsync($"http://127.0.0.1:{_frontendPort}/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("127.0.0.1", response.Headers.GetValues("X-Frontend-Address").Single());
            Assert.Equal(principal, response.Headers.GetValues("X-Gateway-Principal").Single());
            answered.Add(await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(PrivateAddresses.ToHashSet(), answered);
    }

    [Fact]
    public async Task An_on_demand_probe_of_a_pool_with_no_address_of_its_own_reaches_the_interface_and_scale_set_members()
    {
        await DeployAsync();

        var shown = await Gatehouse("network", "application-gateway", "show-backend-health", "-g", "rg1", "-n", "gw",
            "--address-pool", "members", "--http-settings", "settings", "--host", "127.0.0.1", "--path", "/");

        Assert.True(shown.ExitCode == 0, shown.ToString());
        var servers = JsonNode.Parse(shown.Stdout)!["backendHealthHttpSettings"]!["servers"]!.AsArray();
        Assert.Equal(PrivateAddresses.Select(a => (a, "Up")),
            servers.Select(s => (s!["address"]!.GetValue<string>(), s["health"]!.GetValue<string>())).Order());
    }

    private Task<Completed> Gatehouse(params string[] arguments) => GatehouseProcess.RunGatehouseAsync([.. arguments, "--data-dir", _dataDirectory]);
}
