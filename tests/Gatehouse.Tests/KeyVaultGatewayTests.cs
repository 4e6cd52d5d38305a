using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gatehouse.Control.Security;
using Gatehouse.Demo;

namespace Gatehouse.Tests;

/// <summary>
/// Certificates from the local Key Vault, end to end through a real <c>serve</c>: the listener certificate read through
/// the gateway's user-assigned identity as the vault's access policies allow and re-read on <c>--key-vault-refresh</c>, so
/// a rotated secret (by a redeploy of the secret, or a set through Key Vault's own API) is served without a redeploy of
/// the gateway; the trusted client CA read by the parameter file's Key Vault reference;
/// and a listener whose vault grants the identity nothing disabled with Azure's error code while the other one serves.
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
        using var clientCa = Authority("CN=kv-client-ca");
        var (vaults, credentials) = await DeployVaultsAsync(clientCa);
        var vaultId = (string)JsonNode.Parse(vaults.Stdout)!["properties"]!["outputs"]!["vaultId"]!["value"]!;
        // The trusted client CA comes from the vault through the parameter file's Key Vault reference.
        var parameterFile = Path.Combine(_dataDirectory, "gateway.parameters.json");
        File.WriteAllText(parameterFile, $$"""
            { "parameters": { "clientCa": { "reference": { "keyVault": { "id": "{{vaultId}}" }, "secretName": "clientca" } } } }
            """);
        var gateway = await DeployAsync("gateway.json", GatewayTemplate(), $"@{parameterFile}");
        await _serve.WaitForAsync(DisabledLine);

        using var client = Issued(clientCa, "CN=kv-client");
        var first = await HandshakeAsync(_servedPort, client);
        var request = await GatehouseProcess.RunAsync(GatehouseProcess.StartInfo("openssl",
            ["s_client", "-connect", $"127.0.0.1:{_servedPort}", "-servername", "localhost", "-tls1_2"]));
        var refused = await Assert.ThrowsAnyAsync<SocketException>(() => HandshakeAsync(_deniedPort, client));
        var health = await Gatehouse("network", "application-gateway", "show-backend-health", "-g", "rg1", "-n", "mtlsAppGw");
        var rotated = await DeployAsync("rotation.json", RotationTemplate(), $"listenerCert={Pfx("CN=kv-two")}");
        var second = await SubjectUntilAsync(_servedPort, client, "CN=kv-two");
        var set = await SetThroughKeyVaultApiAsync(credentials, "https://granted.vault.azure.net/secrets/listener", Pfx("CN=kv-three"));
        var third = await SubjectUntilAsync(_servedPort, client, "CN=kv-three");

        Assert.True(gateway.ExitCode == 0, gateway.ToString());
        Assert.Equal("CN=kv-one", first);
        Assert.Contains("Acceptable client certificate CA names\nCN = kv-client-ca\n", request.Stdout);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.True(health.ExitCode == 0, health.ToString());
        var unreadable = Assert.Single(JsonNode.Parse(health.Stdout)!["unreadableCertificates"]!.AsArray())!;
        Assert.Equal("UserAssignedIdentityDoesNotHaveGetPermissionOnKeyVault", (string?)unreadable["error"]!["code"]);
        Assert.Equal("listener3", (string?)unreadable["disabledListener"]);
        Assert.EndsWith("/sslCertificates/deniedCert", (string?)unreadable["certificate"]!["id"]);
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        Assert.Equal("CN=kv-two", second);
        Assert.Equal(HttpStatusCode.OK, set);
        Assert.Equal("CN=kv-three", third);
        Assert.DoesNotContain(Pfx("CN=kv-one")[1000..1060], _serve.Output);
    }

    [Fact]
    public async Task A_key_vault_reference_to_a_vault_not_enabled_for_template_deployment_fails_with_ARMs_error()
    {
        Assert.Equal(0, (await Gatehouse("group", "create", "--name", "rg1", "--location", "local")).ExitCode);
        using var clientCa = Authority("CN=kv-client-ca");
        var (vaults, _) = await DeployVaultsAsync(clientCa);
        var deniedId = ((string)JsonNode.Parse(vaults.Stdout)!["properties"]!["outputs"]!["vaultId"]!["value"]!).Replace("/granted", "/denied", StringComparison.Ordinal);
        var parameterFile = Path.Combine(_dataDirectory, "gateway.parameters.json");
        File.WriteAllText(parameterFile, $$"""
            { "parameters": { "clientCa": { "reference": { "keyVault": { "id": "{{deniedId}}" }, "secretName": "clientca" } } } }
            """);

        var refused = await Gatehouse("deployment", "group", "create", "--resource-group", "rg1", "--template-file", Write("gateway.json", GatewayTemplate()),
            "--parameters", $"@{parameterFile}");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("KeyVaultParameterReferenceSecretRetrieveFailed", refused.Stderr);
        Assert.Contains("enabledForTemplateDeployment", refused.Stderr);
        Assert.DoesNotContain("BEGIN CERTIFICATE", refused.Stderr + refused.Stdout);
    }

    private string Write(string name, JsonNode template)
    {
        var path = Path.Combine(_dataDirectory, name);
        File.WriteAllText(path, template.ToJsonString());
        return path;
    }

    private async Task<Completed> DeployAsync(string name, JsonNode template, params string[] parameters)
    {
        var deployed = await Gatehouse(["deployment", "group", "create", "--resource-group", "rg1", "--template-file", Write(name, template),
            .. parameters.SelectMany(p => (string[])["--parameters", p])]);
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        return deployed;
    }

    /// <summary>Deploys <see cref="VaultsTemplate"/>, the operator being the management service principal of <c>credentials show</c>.</summary>
    private async Task<(Completed Deployed, JsonNode Credentials)> DeployVaultsAsync(X509Certificate2 clientCa)
    {
        var credentials = JsonNode.Parse((await Gatehouse("credentials", "show", "--output", "json")).Stdout)!;
        var deployed = await DeployAsync("vaults.json", VaultsTemplate(), $"listenerCert={Pfx("CN=kv-one")}", $"clientCa={clientCa.ExportCertificatePem()}",
            $"operatorObjectId={credentials["clientId"]}");
        return (deployed, credentials);
    }

    private static X509Certificate2 Authority(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
    }

    private static X509Certificate2 Issued(X509Certificate2 authority, string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        return X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
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

    /// <summary>
    /// The subject of the certificate the listener on <paramref name="port"/> presents in a real TLS handshake, where
    /// <paramref name="client"/> is offered when the listener asks for a client certificate.
    /// </summary>
    private static async Task<string?> HandshakeAsync(int port, X509Certificate2 client)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        string? subject = null;
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [client],
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                subject = certificate?.Subject;
                return true;
            },
        });
        return subject;
    }

    /// <summary>Handshakes until the listener presents <paramref name="subject"/>; bounded in count, each poll short.</summary>
    private static async Task<string?> SubjectUntilAsync(int port, X509Certificate2 client, string subject)
    {
        string? served = null;
        for (var poll = 0; poll < MaxPolls && served != subject; poll++)
        {
            served = await HandshakeAsync(port, client);
            if (served != subject) await Task.Delay(250);
        }
        return served;
    }

    /// <summary>
    /// Sets the secret through Key Vault's API as the management service principal, as an SDK does: a token for
    /// https://vault.azure.net, then the PUT through the management port as HTTPS proxy.
    /// </summary>
    private static async Task<HttpStatusCode> SetThroughKeyVaultApiAsync(JsonNode credentials, string secretId, string value)
    {
        var trust = ManagementTrust.ClientOptions(Path.GetDirectoryName((string)credentials["caFile"]!)!);
        using var management = new HttpClient(new SocketsHttpHandler { UseProxy = false, SslOptions = trust });
        using var issued = await management.PostAsync(new Uri(new Uri((string)credentials["managementUrl"]!), "adfs/oauth2/token"), new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = (string)credentials["clientId"]!,
                ["client_secret"] = (string)credentials["clientSecret"]!,
                ["scope"] = "https://vault.azure.net/.default",
            }));
        var token = (string)JsonNode.Parse(await issued.Content.ReadAsStringAsync())!["access_token"]!;
        using var vault = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy((string)credentials["keyVaultProxy"]!), SslOptions = trust });
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{secretId}?api-version=7.4")
        {
            Content = JsonContent.Create(new { value, contentType = "application/x-pkcs12" }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await vault.SendAsync(request);
        return response.StatusCode;
    }

    private const string IdentityId = "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'gatewayIdentity')]";

    private static string SecretUri(string vault) => $"[concat(reference(resourceId('Microsoft.KeyVault/vaults', '{vault}')).vaultUri, 'secrets/listener')]";

    /// <summary>
    /// An identity and two vaults holding the listener certificate: "granted" lets the identity get secrets (and template
    /// deployments read it, and the operator set secrets; it also holds the trusted client CA), "denied" grants nothing.
    /// </summary>
    private static JsonNode VaultsTemplate()
    {
        var template = JsonNode.Parse($$"""
            {
              "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
              "contentVersion": "1.0.0.0",
              "parameters": { "listenerCert": { "type": "securestring" }, "clientCa": { "type": "securestring" }, "operatorObjectId": { "type": "string" } },
              "resources": [ { "type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31", "name": "gatewayIdentity", "location": "[resourceGroup().location]" } ],
              "outputs": { "vaultId": { "type": "string", "value": "[resourceId('Microsoft.KeyVault/vaults', 'granted')]" } }
            }
            """)!;
        var resources = template["resources"]!.AsArray();
        resources.Add(Vault("granted", $$"""
            [ { "tenantId": "[subscription().tenantId]", "objectId": "[reference({{Quote(IdentityId)}}).principalId]", "permissions": { "secrets": [ "get" ] } },
              { "tenantId": "[subscription().tenantId]", "objectId": "[parameters('operatorObjectId')]", "permissions": { "secrets": [ "set" ] } } ]
            """));
        resources.Add(Vault("denied", "[]"));
        resources.Add(Secret("granted"));
        resources.Add(Secret("denied"));
        var clientCa = Secret("granted");
        clientCa["name"] = "granted/clientca";
        clientCa["properties"] = new JsonObject { ["value"] = "[parameters('clientCa')]" };
        resources.Add(clientCa);
        return template;
    }

    /// <summary>
    /// The example read through the gateway's user-assigned identity: listener2 (frontend port 444) takes its certificate
    /// from the granted vault and, through a Strict SSL profile, the client CA the parameter file reads from it;
    /// listener3 (445) takes its certificate from the vault that grants nothing.
    /// </summary>
    private static JsonNode GatewayTemplate()
    {
        var template = JsonNode.Parse(File.ReadAllText(GatehouseProcess.Example("deploymentTemplate.forward-certificate.json")))!;
        template["parameters"]!["certData"]!["defaultValue"] = "";
        template["parameters"]!["certPassword"]!["defaultValue"] = "";
        template["parameters"]!["adminUsername"]!["defaultValue"] = "azureuser";
        template["parameters"]!["adminSSHKey"]!["defaultValue"] = "";
        template["parameters"]!["clientCa"] = new JsonObject { ["type"] = "securestring" };
        var gateway = template["resources"]!.AsArray().Single(r => (string)r!["type"]! == "Microsoft.Network/applicationGateways")!;
        gateway["identity"] = new JsonObject { ["type"] = "UserAssigned", ["userAssignedIdentities"] = new JsonObject { [IdentityId] = new JsonObject() } };

        var properties = gateway["properties"]!;
        properties["sslCertificates"] = new JsonArray(
            new JsonObject { ["name"] = "sslCert", ["properties"] = new JsonObject { ["keyVaultSecretId"] = SecretUri("granted") } },
            new JsonObject { ["name"] = "deniedCert", ["properties"] = new JsonObject { ["keyVaultSecretId"] = SecretUri("denied") } });
        properties["trustedClientCertificates"] = JsonNode.Parse("""[ { "name": "clientCa", "properties": { "data": "[parameters('clientCa')]" } } ]""");
        properties["sslProfiles"]![0]!["properties"] = JsonNode.Parse("""
            { "clientAuthConfiguration": { "verifyClientCertIssuerDN": false },
              "trustedClientCertificates": [ { "id": "[concat(variables('applicationGatewayID'), '/trustedClientCertificates/clientCa')]" } ] }
            """);
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
          "properties": { "tenantId": "[subscription().tenantId]", "sku": { "family": "A", "name": "standard" }, "accessPolicies": {{accessPolicies}},
            "enabledForTemplateDeployment": {{(name == "granted" ? "true" : "false")}} } }
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
