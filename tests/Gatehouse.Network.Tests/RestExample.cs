using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Gatehouse.Network.Tests;

/// <summary>
/// The REST specification's <c>ApplicationGatewayCreate</c> example as a PUT, with real data where the example
/// writes <c>****</c>, and the neighbours it references (virtual network, public IP) provisioned as declared types.
/// </summary>
internal static class RestExample
{
    public const string ApiVersion = "2025-03-01";
    public const string ResourceGroup = "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network";
    public const string GatewayId = $"{ResourceGroup}/applicationGateways/appgw";
    public const string ClientCaSubject = "CN=Example Client CA, O=Contoso, C=US";

    public static JsonObject Example(string file) =>
        JsonNode.Parse(File.ReadAllText(ReferenceDeployment.SharedPath("reference", "rest-api-2025-03-01", "examples", file)))!.AsObject();

    /// <summary>The PUT body, made deployable: certificate data are real, and what Gatehouse cannot serve is taken out.</summary>
    public const string KeyVaultSecretId = "https://kv.vault.azure.net/secrets/secret";

    public static JsonObject CreateBody(Action<JsonObject>? edit = null)
    {
        var body = Example("ApplicationGatewayCreate.json")["parameters"]!["parameters"]!.DeepClone().AsObject();
        var properties = body["properties"]!.AsObject();

        var sslCertificates = properties["sslCertificates"]!.AsArray();
        sslCertificates[0]!["properties"] = new JsonObject
        {
            ["data"] = Convert.ToBase64String(ReferenceDeployment.Pfx),
            ["password"] = ReferenceDeployment.Password,
        };
        // The example's Key Vault ids are placeholders; a secret id names the vault's host (see the validation tests).
        sslCertificates[1]!["properties"]!["keyVaultSecretId"] = KeyVaultSecretId;
        properties["trustedRootCertificates"]![1]!["properties"]!["keyVaultSecretId"] = KeyVaultSecretId;

        using var root = TestCertificates.Root("CN=Example Backend Root");
        properties["trustedRootCertificates"]![0]!["properties"]!["data"] = Convert.ToBase64String(root.RawData);

        using var clientCa = TestCertificates.Root(ClientCaSubject);
        properties["trustedClientCertificates"]![0]!["properties"]!["data"] = TestCertificates.Pem(clientCa);

        // TLS 1.0 and 1.1 are retired (appgw-behaviour §4.4); the example predates that.
        properties["sslProfiles"]![0]!["properties"]!["sslPolicy"]!["minProtocolVersion"] = "TLSv1_2";

        // The example asks for Azure's buffering, which is not available locally (streaming is); see the specification coverage tests.
        properties.Remove("globalConfiguration");

        edit?.Invoke(body);
        return body;
    }

    public static ProvisionedResource Provision(Action<JsonObject>? edit = null) =>
        NetworkProvider.Provision(new ResourceInput(GatewayId, NetworkProvider.ApplicationGatewayType, "appgw", ApiVersion, CreateBody(edit)), Neighbours());

    /// <summary>The virtual network with the gateway's subnet and the public IP, provisioned as a deployment would.</summary>
    public static Func<string, ProvisionedResource?> Neighbours()
    {
        var provisioned = new Dictionary<string, ProvisionedResource>(ResourceIds.Comparer);
        void Add(string type, string name, string json)
        {
            var id = $"{ResourceGroup}/{type}/{name}";
            provisioned[id] = NetworkProvider.Provision(
                new ResourceInput(id, $"Microsoft.Network/{type}", name, ApiVersion, JsonNode.Parse(json)!.AsObject()),
                other => provisioned.GetValueOrDefault(other));
        }
        Add("virtualNetworks", "vnet", """
            { "location": "eastus", "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] },
              "subnets": [ { "name": "appgwsubnet", "properties": { "addressPrefix": "10.0.0.0/24" } } ] } }
            """);
        Add("publicIPAddresses", "appgwpip", """
            { "location": "eastus", "sku": { "name": "Standard" }, "properties": { "publicIPAllocationMethod": "Static" } }
            """);
        return id => provisioned.GetValueOrDefault(id);
    }
}
