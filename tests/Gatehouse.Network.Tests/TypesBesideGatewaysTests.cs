using System.Text.Json.Nodes;

namespace Gatehouse.Network.Tests;

/// <summary>The types stored beside gateways: read-only values computed as Azure computes them, children with ids.</summary>
public sealed class TypesBesideGatewaysTests
{
    private const string Group = "/subscriptions/s/resourceGroups/rg1/providers";

    private static JsonObject Provision(string type, string name, string body, ProvisionedResource? previous = null)
    {
        var id = $"{Group}/{type}/{name}";
        var resource = NetworkProvider.Provision(new ResourceInput(id, type, name, "2024-05-01", JsonNode.Parse(body)!.AsObject()), _ => previous);
        return NetworkProvider.Render(resource, "2024-05-01");
    }

    private static ProvisionedResource Stored(JsonObject rendered) =>
        new((string)rendered["id"]!, (string)rendered["type"]!, (string)rendered["name"]!, "2024-05-01", rendered);

    [Fact]
    public void A_static_public_ip_gets_a_local_address_whatever_the_template_says()
    {
        var ip = Provision("Microsoft.Network/publicIPAddresses", "pip", """
            { "location": "westus", "sku": { "name": "Standard" },
              "properties": { "ipAddress": "20.1.2.3", "dnsSettings": { "domainNameLabel": "mygw" } } }
            """)["properties"]!;
        Assert.Equal("127.0.0.1", (string?)ip["ipAddress"]);
        Assert.Equal("Static", (string?)ip["publicIPAllocationMethod"]);
        Assert.Equal("mygw.westus.cloudapp.azure.com", (string?)ip["dnsSettings"]!["fqdn"]);
    }

    [Fact]
    public void A_dynamic_public_ip_has_no_address_until_it_is_attached()
    {
        var ip = Provision("Microsoft.Network/publicIPAddresses", "pip", """
            { "location": "westus", "sku": { "name": "Basic" }, "properties": { "publicIPAllocationMethod": "Dynamic" } }
            """)["properties"]!.AsObject();
        Assert.False(ip.ContainsKey("ipAddress"));
        Assert.Equal("IPv4", (string?)ip["publicIPAddressVersion"]);
    }

    [Fact]
    public void A_user_assigned_identity_keeps_its_ids_across_redeploys()
    {
        const string type = "Microsoft.ManagedIdentity/userAssignedIdentities";
        var first = Provision(type, "id1", """{ "location": "westus" }""");
        var again = Provision(type, "id1", """{ "location": "westus", "tags": { "v": "2" } }""", Stored(first));
        var other = Provision(type, "id2", """{ "location": "westus" }""");

        Assert.Matches("^[0-9a-f-]{36}$", (string?)first["properties"]!["principalId"]);
        Assert.Equal((string?)first["properties"]!["principalId"], (string?)again["properties"]!["principalId"]);
        Assert.Equal((string?)first["properties"]!["clientId"], (string?)again["properties"]!["clientId"]);
        Assert.NotEqual((string?)first["properties"]!["clientId"], (string?)other["properties"]!["clientId"]);
    }

    [Theory]
    [InlineData("Microsoft.Web/sites", "Shop", "defaultHostName", "shop.azurewebsites.net")]
    [InlineData("Microsoft.KeyVault/vaults", "kv1", "vaultUri", "https://kv1.vault.azure.net/")]
    [InlineData("Microsoft.Sql/servers", "sql1", "fullyQualifiedDomainName", "sql1.database.windows.net")]
    [InlineData("Microsoft.DBforMySQL/servers", "my1", "fullyQualifiedDomainName", "my1.mysql.database.azure.com")]
    [InlineData("Microsoft.Cdn/profiles/endpoints", "cdn/web1", "hostName", "web1.azureedge.net")]
    public void A_service_gets_the_host_name_Azure_gives_it(string type, string name, string property, string expected)
    {
        var properties = Provision(type, name, """{ "location": "West Europe" }""")["properties"]!;

        Assert.Equal(expected, (string?)properties[property]);
    }

    [Fact]
    public void Storage_endpoints_web_app_host_names_and_container_addresses_are_computed()
    {
        var storage = Provision("Microsoft.Storage/storageAccounts", "store1", """{ "location": "westus" }""")["properties"]!["primaryEndpoints"]!;
        var site = Provision("Microsoft.Web/sites", "app1", """{ "location": "westus" }""")["properties"]!;
        var container = Provision("Microsoft.ContainerInstance/containerGroups", "aci", """
            { "location": "westus", "properties": { "containers": [], "networkProfile": { "id": "/subscriptions/s/x" } } }
            """)["properties"]!;

        Assert.Equal("https://store1.blob.core.windows.net/", (string?)storage["blob"]);
        Assert.Equal("https://store1.file.core.windows.net/", (string?)storage["file"]);
        Assert.Equal(["app1.azurewebsites.net"], site["hostNames"]!.AsArray().Select(h => (string?)h));
        Assert.Equal("127.0.0.1", (string?)container["ipAddress"]!["ip"]);
    }

    [Fact]
    public void Generated_ids_keys_and_system_identities_are_kept_across_redeploys_and_name_the_directory()
    {
        const string insights = "Microsoft.Insights/components";
        const string workspace = "Microsoft.OperationalInsights/workspaces";
        const string body = """{ "location": "West Europe", "identity": { "type": "SystemAssigned" } }""";
        JsonObject Deploy(string type, ProvisionedResource? previous) => NetworkProvider.Render(NetworkProvider.Provision(
            new ResourceInput($"{Group}/{type}/x", type, "x", "2024-05-01", JsonNode.Parse(body)!.AsObject()) { TenantId = "tenant-1" }, _ => previous), "2024-05-01");

        var first = Deploy(insights, null);
        var again = Deploy(insights, Stored(first));
        var logs = Deploy(workspace, null);
        var identity = Deploy("Microsoft.ManagedIdentity/userAssignedIdentities", null);

        var key = (string?)first["properties"]!["InstrumentationKey"];
        Assert.Matches("^[0-9a-f-]{36}$", key);
        Assert.Equal(key, (string?)again["properties"]!["InstrumentationKey"]);
        Assert.StartsWith($"InstrumentationKey={key};IngestionEndpoint=https://westeurope.in.applicationinsights.azure.com/", (string?)again["properties"]!["ConnectionString"]);
        Assert.Equal((string?)first["identity"]!["principalId"], (string?)again["identity"]!["principalId"]);
        Assert.Equal("tenant-1", (string?)first["identity"]!["tenantId"]);
        Assert.Matches("^[0-9a-f-]{36}$", (string?)logs["properties"]!["customerId"]);
        Assert.Equal("tenant-1", (string?)identity["properties"]!["tenantId"]);
    }

    [Fact]
    public void Security_rules_of_a_network_security_group_get_ids_and_keep_their_values()
    {
        var nsg = Provision("Microsoft.Network/networkSecurityGroups", "nsg", """
            { "location": "westus", "properties": { "SecurityRules": [
              { "name": "any", "properties": { "protocol": "*", "access": "Allow", "priority": 100, "direction": "Inbound" } } ] } }
            """);
        var rule = nsg["properties"]!["securityRules"]![0]!;
        Assert.Equal($"{Group}/Microsoft.Network/networkSecurityGroups/nsg/securityRules/any", (string?)rule["id"]);
        Assert.Equal("*", (string?)rule["properties"]!["protocol"]);
        Assert.Equal("Succeeded", (string?)rule["properties"]!["provisioningState"]);
    }

    [Fact]
    public void A_container_group_renders_without_its_secure_values_storage_keys_and_registry_passwords()
    {
        var group = Provision("Microsoft.ContainerInstance/containerGroups", "app", """
            { "location": "westus", "properties": {
                "containers": [ { "name": "web", "properties": { "image": "wordpress", "environmentVariables": [
                  { "name": "DB_PASSWORD", "secureValue": "secure-value-1" }, { "name": "DB_HOST", "value": "10.0.0.4" } ] } } ],
                "imageRegistryCredentials": [ { "server": "registry.example", "username": "u", "password": "registry-password-1" } ],
                "volumes": [ { "name": "files", "azureFile": { "shareName": "share", "storageAccountName": "store1", "StorageAccountKey": "storage-key-1" } } ] } }
            """);

        var text = group.ToJsonString();
        Assert.DoesNotContain("secure-value-1", text);
        Assert.DoesNotContain("registry-password-1", text);
        Assert.DoesNotContain("storage-key-1", text);
        var variables = group["properties"]!["containers"]![0]!["properties"]!["environmentVariables"]!;
        Assert.Equal("DB_PASSWORD", (string?)variables[0]!["name"]);
        Assert.Equal("10.0.0.4", (string?)variables[1]!["value"]);
        Assert.Equal("store1", (string?)group["properties"]!["volumes"]![0]!["azureFile"]!["storageAccountName"]);
    }
}
