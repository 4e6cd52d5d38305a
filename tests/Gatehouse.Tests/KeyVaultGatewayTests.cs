using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gatehouse.Demo;

namespace Gatehouse.Tests;

/// <summary>
/// Listener certificates from the local Key Vault, end to end through a real <c>serve</c>: read through the gateway's
/// user-assigned identity as the vault's access policies allow, re-read on <c>--key-vault-refresh</c> so a rotated
/// secret is served without a redeploy, and a listener whose vault grants the identity nothing disabled with Azure's
/// error code while the gateway's other listener serves.
/// </summary>
public sealed class KeyVaultGatewayTests : IAsyncLifetime
{
    private const int MaxPolls = 120;
    private const string DisabledLine = "Listener mtlsAppGw/listener3: disabled, UserAssignedIdentityDoesNotHaveGetPermissionOnKeyVault";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("gatehouse-kv-").FullName;
    private readonly int _servedPort = GatehouseProcess.FreePort();
    private readonly int _deniedPort = GatehouseProcess.FreePort();
    private RunningGatehouse _serve = null!;

    public async Task InitializeAsync() =>
        _serve = await RunningGatehouse.StartAsync("Management API:", "serve", "--data-dir", _dataDirectory, "--management-port", "0",
            "--resolve", $"{UpCommand.ExampleBackendHost}=127.0.0.1:9", "--port-map", $"444={_servedPort}", "--port-map", $"445={_deniedPort}",
            "--key-vault-refresh", "1");

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_key_vault_listener_certificate_is_served_rotated_and_disabled_as_the_vault_allows()
    {
        Assert.Equal(0, (await Gatehouse("group", "create", "--name", "rg1", "--location", "local")).ExitCode);
        var template = Path.Combine(_dataDirectory, "keyvault.json");
        File.WriteAllText(template, KeyVaultTemplate().ToJsonString());
        var deployed = await Gatehouse("deployment", "group", "create", "--resource-group", "rg1", "--template-file", template,
            "--parameters", $"listenerCert={Pfx("CN=kv-one")}");
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        await _serve.WaitForAsync(DisabledLine);

        var first = await ServedSubjectAsync(_servedPort);
        var refused = await Assert.ThrowsAnyAsync<SocketException>(() => ServedSubjectAsync(_deniedPort));
        var health = await Gatehouse("network", "application-gateway", "show-backend-health", "-g", "rg1", "-n", "mtlsAppGw");
        var rotation = Path.Combine(_dataDirectory, "rotation.json");
        File.WriteAllText(rotation, RotationTemplate().ToJsonString());
        var rotated = await Gatehouse("deployment", "group", "create", "--resource-group", "rg1", "--template-file", rotation,
            "--parameters", $"listenerCert={Pfx("CN=kv-two")}");
        var second = await SubjectUntilAsync(_servedPort, "CN=kv-two");

        Assert.Equal("CN=kv-one", first);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.True(health.ExitCode == 0, health.ToString());
        var unreadable = Assert.Single(JsonNode.Parse(health.Stdout)!["unreadableCertificates"]!.AsArray())!;
        Assert.Equal("UserAssignedIdentityDoesNotHaveGetPermissionOnKeyVault", (string?)unreadable["error"]!["code"]);
        Assert.Equal("listener3", (string?)unreadable["disabledListener"]);
        Assert.EndsWith("/sslCertificates/deniedCert", (string?)unreadable["certificate"]!["id"]);
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        Assert.Equal("CN=kv-two", second);
        Assert.DoesNotContain(Pfx("CN=kv-one")[1000..1060], _serve.Output);
    }

    /// <summary>A self-signed server certificate with its key, as Key Vault keeps a certificate: a base64 PFX without a password.</summary>
    private static string Pfx(string subject)
    {
        // One key per subject across calls, so the same subject gives the same value (the log check above looks for it).
        if (Made.TryGetValue(subject, out var made)) return made;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return Made[subject] = Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12));
    }

    private static readonly Dictionary<string, string> Made = [];

    /// <summary>The subject of the certificate the listener on <paramref name="port"/> presents in a real TLS handshake.</summary>
    private static async Task<string?> ServedSubjectAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        string? subject = null;
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                subject = certificate?.Subject;
                return true;
            },
        });
        return subject;
    }

    /// <summary>Handshakes until the listener presents <paramref name="subject"/>; bounded in count, each poll short.</summary>
    private static async Task<string?> SubjectUntilAsync(int port, string subject)
    {
        string? served = null;
        for (var poll = 0; poll < MaxPolls && served != subject; poll++)
        {
            served = await ServedSubjectAsync(port);
            if (served != subject) await Task.Delay(250);
        }
        return served;
    }

    private const string IdentityId = "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'gatewayIdentity')]";

    private static string SecretUri(string vault) => $"[concat(reference(resourceId('Microsoft.KeyVault/vaults', '{vault}')).vaultUri, 'secrets/listener')]";

    /// <summary>
    /// The example with an identity, two vaults holding the listener certificate (one grants the identity secrets get,
    /// one grants nothing), listener2 (frontend port 444) on the first, and listener3 (445) on the second.
    /// </summary>
    private static JsonNode KeyVaultTemplate()
    {
        var template = JsonNode.Parse(File.ReadAllText(GatehouseProcess.Example("deploymentTemplate.forward-certificate.json")))!;
        template["parameters"]!["certData"]!["defaultValue"] = "";
        template["parameters"]!["certPassword"]!["defaultValue"] = "";
        template["parameters"]!["adminUsername"]!["defaultValue"] = "azureuser";
        template["parameters"]!["adminSSHKey"]!["defaultValue"] = "";
        template["parameters"]!["listenerCert"] = new JsonObject { ["type"] = "securestring" };
        var resources = template["resources"]!.AsArray();
        var gateway = resources.Single(r => (string)r!["type"]! == "Microsoft.Network/applicationGateways")!;
        resources.Add(JsonNode.Parse("""{ "type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31", "name": "gatewayIdentity", "location": "[resourceGroup().location]" }"""));
        resources.Add(Vault("granted", $$"""[ { "tenantId": "[subscription().tenantId]", "objectId": "[reference({{Quote(IdentityId)}}).principalId]", "permissions": { "secrets": [ "get" ] } } ]"""));
        resources.Add(Vault("denied", "[]"));
        resources.Add(Secret("granted"));
        resources.Add(Secret("denied"));
        gateway["dependsOn"]!.AsArray().Add("[resourceId('Microsoft.KeyVault/vaults/secrets', 'granted', 'listener')]");
        gateway["dependsOn"]!.AsArray().Add("[resourceId('Microsoft.KeyVault/vaults/secrets', 'denied', 'listener')]");
        gateway["identity"] = new JsonObject { ["type"] = "UserAssigned", ["userAssignedIdentities"] = new JsonObject { [IdentityId] = new JsonObject() } };

        var properties = gateway["properties"]!;
        properties["sslCertificates"] = new JsonArray(
            new JsonObject { ["name"] = "sslCert", ["properties"] = new JsonObject { ["keyVaultSecretId"] = SecretUri("granted") } },
            new JsonObject { ["name"] = "deniedCert", ["properties"] = new JsonObject { ["keyVaultSecretId"] = SecretUri("denied") } });
        properties["frontendPorts"]!.AsArray().Add(JsonNode.Parse("""{ "name": "port3", "properties": { "port": 445 } }"""));
        var listener = properties["httpListeners"]![0]!.DeepClone();
        listener["name"] = "listener3";
        listener["properties"]!["FrontendPort"]!["Id"] = "[concat(variables('applicationGatewayID'), '/frontendPorts/port3')]";
        listener["properties"]!["SslCertificate"]!["Id"] = "[concat(variables('applicationGatewayID'), '/sslCertificates/deniedCert')]";
        properties["httpListeners"]!.AsArray().Add(listener);
        var rule = properties["requestRoutingRules"]![0]!.DeepClone();
        rule["Name"] = "rule3";
        rule["properties"]!["priority"] = 3000;
        rule["properties"]!["httpListener"]!["id"] = "[concat(variables('applicationGatewayID'), '/httpListeners/listener3')]";
        properties["requestRoutingRules"]!.AsArray().Add(rule);
        return template;
    }

    /// <summary>Only the granted vault's secret, with a new value: a new version, as rotating a certificate makes one.</summary>
    private static JsonNode RotationTemplate() => JsonNode.Parse($$"""
        {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": { "listenerCert": { "type": "securestring" } },
          "resources": [ {{Secret("granted", inTemplateWithItsVault: false).ToJsonString()}} ]
        }
        """)!;

    private static string Quote(string expression) => expression[1..^1];

    private static JsonNode Vault(string name, string accessPolicies) => JsonNode.Parse($$"""
        { "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "{{name}}", "location": "[resourceGroup().location]",
          "dependsOn": [ "{{IdentityId}}" ],
          "properties": { "tenantId": "[subscription().tenantId]", "sku": { "family": "A", "name": "standard" }, "accessPolicies": {{accessPolicies}} } }
        """)!;

    private static JsonNode Secret(string vault, bool inTemplateWithItsVault = true)
    {
        var secret = JsonNode.Parse($$"""
            { "type": "Microsoft.KeyVault/vaults/secrets", "apiVersion": "2023-07-01", "name": "{{vault}}/listener",
              "properties": { "value": "[parameters('listenerCert')]", "contentType": "application/x-pkcs12" } }
            """)!;
        if (inTemplateWithItsVault) secret["dependsOn"] = new JsonArray($"[resourceId('Microsoft.KeyVault/vaults', '{vault}')]");
        return secret;
    }

    private Task<Completed> Gatehouse(params string[] arguments) => GatehouseProcess.RunGatehouseAsync([.. arguments, "--data-dir", _dataDirectory]);
}
