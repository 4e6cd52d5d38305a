using System.Net;
using System.Text.Json.Nodes;

namespace Gatehouse.Control.Tests;

/// <summary>
/// Deployments with a linked template (<c>templateLink</c>) fetched over HTTP from a loopback server, and with list*
/// functions answered by the store's access keys; the secrets they carry never come back in a GET.
/// </summary>
public sealed class LinkedDeploymentTests
{
    private static readonly ReferenceDeployment Reference = ReferenceDeployment.Create();

    private const string Backends = """
        { "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
          "parameters": { "prefix": { "type": "string" } },
          "resources": [],
          "outputs": { "fqdn": { "type": "string", "value": "[concat(parameters('prefix'), '.backend.example')]" } } }
        """;

    /// <summary>The reference template, its backend pool's address the output of a linked deployment at <paramref name="link"/>.</summary>
    private static JsonObject WithLinkedBackend(Uri link)
    {
        var template = Reference.Template;
        var resources = template["resources"]!.AsArray();
        resources.Add(JsonNode.Parse($$"""
            { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "backends",
              "properties": { "mode": "Incremental", "templateLink": { "uri": "{{link}}", "contentVersion": "1.0.0.0" },
                "parameters": { "prefix": { "value": "web" } } } }
            """));
        var gateway = resources.Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Network/applicationGateways")!;
        gateway["properties"]!["backendAddressPools"]![0]!["properties"]!["BackendAddresses"]![0]!["fqdn"] = "[reference('backends').outputs.fqdn.value]";
        return template;
    }

    private static async Task<RunningServer> SignedInAsync()
    {
        var server = await RunningServer.StartAsync();
        await server.SignInAsync();
        await server.CreateResourceGroupAsync("rg1");
        return server;
    }

    [Fact]
    public async Task A_linked_template_output_becomes_the_gateway_backend_address()
    {
        await using var links = await LinkServer.StartAsync(new Dictionary<string, string> { ["templates/backends.json"] = Backends });
        await using var server = await SignedInAsync();

        var status = await server.DeployAsync("rg1", "linked", Reference.Body(WithLinkedBackend(new Uri(links.BaseUri, "templates/backends.json?sv=2024&sig=token"))));

        Assert.True(status["status"]!.GetValue<string>() == "Succeeded", status.ToJsonString());
        var gateway = await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01");
        var address = gateway.Json!["properties"]!["backendAddressPools"]![0]!["properties"]!["backendAddresses"]![0]!;
        Assert.Equal("web.backend.example", address["fqdn"]!.GetValue<string>());
        Assert.Equal(ReferenceDeployment.GatewayName, Assert.Single(server.Runtime.Serving).Name);
    }

    [Fact]
    public async Task A_linked_template_that_links_another_is_fetched_level_by_level_for_validate_and_deploy()
    {
        const string middle = """
            { "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
              "parameters": { "prefix": { "type": "string" } },
              "resources": [ { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner",
                "properties": { "mode": "Incremental", "templateLink": { "relativePath": "backends.json" },
                  "parameters": { "prefix": { "value": "[concat(parameters('prefix'), '-inner')]" } } } } ],
              "outputs": { "fqdn": { "type": "string", "value": "[reference('inner').outputs.fqdn.value]" } } }
            """;
        await using var links = await LinkServer.StartAsync(new Dictionary<string, string>
        {
            ["templates/middle.json"] = middle,
            ["templates/backends.json"] = Backends,
        });
        await using var server = await SignedInAsync();
        var body = Reference.Body(WithLinkedBackend(new Uri(links.BaseUri, "templates/middle.json?sig=token")));

        var validate = await server.SendAsync(HttpMethod.Post, $"{server.DeploymentPath("rg1", "linked")}/validate?{RunningServer.ApiVersion}", body.DeepClone().AsObject());
        var status = await server.DeployAsync("rg1", "linked", body);

        Assert.True(validate.Status == HttpStatusCode.OK, validate.Text);
        Assert.True(status["status"]!.GetValue<string>() == "Succeeded", status.ToJsonString());
        var gateway = await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01");
        var address = gateway.Json!["properties"]!["backendAddressPools"]![0]!["properties"]!["backendAddresses"]![0]!;
        Assert.Equal("web-inner.backend.example", address["fqdn"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_missing_linked_template_fails_the_deployment_naming_it_without_the_query_and_changes_nothing()
    {
        await using var links = await LinkServer.StartAsync(new Dictionary<string, string>());
        await using var server = await SignedInAsync();
        var first = await server.DeployAsync("rg1", "first", Reference.Body());
        Assert.True(first["status"]!.GetValue<string>() == "Succeeded", first.ToJsonString());
        var before = await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01");
        var appliedBefore = server.Runtime.Applied.Count;
        var missing = new Uri(links.BaseUri, "templates/missing.json?sig=SAS-SECRET-TOKEN");

        var status = await server.DeployAsync("rg1", "second", Reference.Body(WithLinkedBackend(missing)));

        Assert.Equal("Failed", status["status"]!.GetValue<string>());
        var error = status["error"]!;
        Assert.Equal("InvalidContentLink", error["code"]!.GetValue<string>());
        var message = error["message"]!.GetValue<string>();
        Assert.Contains("deployment 'backends'", message);
        Assert.Contains($"'{missing.GetLeftPart(UriPartial.Path)}?[query redacted]'", message);
        Assert.Contains("404", message);
        Assert.DoesNotContain("SAS-SECRET-TOKEN", status.ToJsonString());
        Assert.All(server.Logs.Lines, line => Assert.DoesNotContain("SAS-SECRET-TOKEN", line));
        Assert.Equal(appliedBefore, server.Runtime.Applied.Count);
        var after = await server.SendAsync(HttpMethod.Get, $"{server.GatewayPath("rg1")}?api-version=2025-03-01");
        Assert.Equal(before.Text, after.Text);
    }

    private const string StorageAndContainers = """
        { "resources": [
            { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2021-04-01", "name": "store1", "location": "local",
              "sku": { "name": "Standard_LRS" }, "kind": "StorageV2" },
            { "type": "Microsoft.ContainerInstance/containerGroups", "apiVersion": "2021-09-01", "name": "app", "location": "local",
              "properties": { "osType": "Linux",
                "containers": [ { "name": "web", "properties": { "image": "wordpress",
                  "environmentVariables": [ { "name": "STORAGE_KEY", "secureValue": "[listKeys('store1', '2021-04-01').keys[0].value]" } ] } } ],
                "volumes": [ { "name": "files", "azureFile": { "shareName": "share", "storageAccountName": "store1",
                  "storageAccountKey": "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'store1'), '2021-04-01').keys[0].value]" } } ] } } ],
          "outputs": { "key": { "type": "string", "value": "[listKeys('store1', '2021-04-01').keys[0].value]" } } }
        """;

    private const string ExistingAccountKey = """
        { "outputs": { "key": { "type": "string",
            "value": "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'store1'), '2021-04-01').keys[0].value]" } } }
        """;

    private static JsonObject Body(string template) => new()
    {
        ["properties"] = new JsonObject { ["mode"] = "Incremental", ["template"] = JsonNode.Parse(template) },
    };

    [Fact]
    public async Task Storage_keys_read_before_the_account_exists_are_its_keys_later_and_no_GET_returns_them()
    {
        await using var server = await SignedInAsync();

        var created = await server.DeployAsync("rg1", "storage", Body(StorageAndContainers));
        var later = await server.DeployAsync("rg1", "later", Body(ExistingAccountKey));

        Assert.True(created["status"]!.GetValue<string>() == "Succeeded", created.ToJsonString());
        Assert.True(later["status"]!.GetValue<string>() == "Succeeded", later.ToJsonString());
        async Task<string> OutputKey(string deployment) =>
            (await server.SendAsync(HttpMethod.Get, $"{server.DeploymentPath("rg1", deployment)}?{RunningServer.ApiVersion}")).Json!["properties"]!["outputs"]!["key"]!["value"]!.GetValue<string>();
        var key = await OutputKey("storage");
        Assert.Equal(88, key.Length);
        Assert.Equal(key, await OutputKey("later"));

        var group = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.ContainerInstance/containerGroups/app?api-version=2021-09-01");
        Assert.Equal(HttpStatusCode.OK, group.Status);
        Assert.Equal("STORAGE_KEY", group.Json!["properties"]!["containers"]![0]!["properties"]!["environmentVariables"]![0]!["name"]!.GetValue<string>());
        Assert.Null(group.Json["properties"]!["containers"]![0]!["properties"]!["environmentVariables"]![0]!["secureValue"]);
        Assert.Null(group.Json["properties"]!["volumes"]![0]!["azureFile"]!["storageAccountKey"]);
        Assert.DoesNotContain(key, group.Text);
        var listed = await server.SendAsync(HttpMethod.Get, $"{server.Subscription}/resourceGroups/rg1/providers/Microsoft.ContainerInstance/containerGroups?api-version=2021-09-01");
        Assert.DoesNotContain(key, listed.Text);
        Assert.All(server.Logs.Lines, line => Assert.DoesNotContain(key, line));
    }

    [Fact]
    public async Task List_function_of_a_type_without_keys_fails_naming_the_function_and_the_type()
    {
        await using var server = await SignedInAsync();
        const string template = """
            { "resources": [ { "type": "Microsoft.Web/sites", "apiVersion": "2022-03-01", "name": "site1", "location": "local" } ],
              "outputs": { "secrets": { "type": "object", "value": "[listSecrets('site1', '2022-03-01')]" } } }
            """;

        var status = await server.DeployAsync("rg1", "secrets", Body(template));

        Assert.Equal("Failed", status["status"]!.GetValue<string>());
        var message = status["error"]!["details"]![0]!["message"]!.GetValue<string>();
        Assert.Contains("'listSecrets'", message);
        Assert.Contains("'Microsoft.Web/sites'", message);
    }
}
