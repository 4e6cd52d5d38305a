using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// Turns an applicationGateways resource as written into its stored form (ids, etags, provisioning states,
/// derived certificate data, every collection present) and validates it as Azure does.
/// </summary>
internal static class ApplicationGatewayProvisioner
{
    public const string ResourceType = "Microsoft.Network/applicationGateways";

    /// <summary>The named sub-resource collections of a gateway, in the order a GET shows them.</summary>
    public static readonly string[] Collections =
    [
        "gatewayIPConfigurations", "authenticationCertificates", "trustedRootCertificates", "trustedClientCertificates",
        "sslCertificates", "frontendIPConfigurations", "frontendPorts", "probes", "backendAddressPools",
        "backendHttpSettingsCollection", "backendSettingsCollection", "httpListeners", "listeners", "sslProfiles",
        "urlPathMaps", "requestRoutingRules", "routingRules", "rewriteRuleSets", "redirectConfigurations",
        "privateLinkConfigurations", "privateEndpointConnections", "loadDistributionPolicies", "entraJWTValidationConfigs",
    ];

    // Collections whose elements carry a type in real GETs (appgw-behaviour §5.1); others, sslProfiles among them, show none.
    private static readonly string[] TypedCollections =
    [
        "gatewayIPConfigurations", "sslCertificates", "frontendIPConfigurations", "frontendPorts", "probes",
        "backendAddressPools", "backendHttpSettingsCollection", "httpListeners", "urlPathMaps", "requestRoutingRules",
    ];

    // Read-only on input: whatever a PUT carries here is replaced by what the provider computes.
    private static readonly string[] ReadOnlyProperties = ["provisioningState", "resourceGuid", "operationalState", "defaultPredefinedSslPolicy"];

    // Values Azure fills in when a PUT leaves them out, as real GETs show them (appgw-behaviour §5.1); null collection = the gateway.
    private static readonly (string? Collection, string Property, string Value)[] ServerDefaults =
    [
        (null, "enableHttp2", "false"),
        ("frontendIPConfigurations", "privateIPAllocationMethod", "\"Dynamic\""),
        ("backendAddressPools", "backendAddresses", "[]"),
        ("backendHttpSettingsCollection", "pickHostNameFromBackendAddress", "false"),
        ("httpListeners", "hostNames", "[]"),
        ("httpListeners", "requireServerNameIndication", "false"),
        ("probes", "minServers", "0"),
        ("probes", "match", "{}"),
    ];

    public static ProvisionedResource Provision(ResourceInput input, JsonObject canonical, Func<string, ProvisionedResource?> lookup)
    {
        var etag = $"W/\"{Guid.NewGuid()}\"";
        var previous = lookup(input.Id)?.Body.Properties() ?? [];
        var previousGuid = previous.String("resourceGuid");
        var given = canonical.Properties();

        var properties = new JsonObject { ["provisioningState"] = "Succeeded", ["resourceGuid"] = previousGuid ?? Guid.NewGuid().ToString() };
        foreach (var (name, value) in given)
        {
            if (ReadOnlyProperties.Contains(name)) continue;
            properties[name] = Collections.Contains(name)
                ? SubResources.Shape(input.Id, name, value as JsonArray, etag, $"properties.{name}", TypedCollections.Contains(name) ? $"{ResourceType}/{name}" : null)
                : value?.DeepClone();
        }
        ApplicationGatewayRenderer.RemoveBackReferences(properties);
        foreach (var collection in Collections)
            properties[collection] ??= new JsonArray();
        foreach (var (collection, property, value) in ServerDefaults)
            foreach (var item in collection is null ? [properties] : properties.Objects(collection).Select(i => i.Properties()))
                item[property] ??= JsonNode.Parse(value);
        properties["operationalState"] = "Running";
        properties["defaultPredefinedSslPolicy"] = SslPolicies.DefaultPolicyName;

        var body = new JsonObject
        {
            ["name"] = input.Name,
            ["id"] = input.Id,
            ["etag"] = etag,
            ["type"] = ResourceType,
        };
        foreach (var (name, value) in canonical)
            if (name is not ("name" or "id" or "etag" or "type" or "properties"))
                body[name] = value?.DeepClone();
        body["properties"] = properties;

        KeepUploadedSecrets(properties, previous);
        DeriveCertificateData(properties);
        var provisioned = new ProvisionedResource(input.Id, ResourceType, input.Name, input.ApiVersion, body);
        ApplicationGatewayValidator.Validate(ApplicationGatewayReader.Read(input.Id, body), properties, new ApiVersion(input.ApiVersion), lookup);
        return provisioned;
    }

    /// <summary>
    /// A GET never returns a certificate's PFX and password, so a PUT of a GET body (what <c>az ... update</c> sends)
    /// names the certificate without them: the stored ones are kept, as Azure keeps them.
    /// </summary>
    private static void KeepUploadedSecrets(JsonObject properties, JsonObject previous)
    {
        foreach (var certificate in properties.Objects("sslCertificates"))
        {
            var p = certificate.Properties();
            if (p.String("data") is not null || p.String("keyVaultSecretId") is not null) continue;
            var stored = previous.Objects("sslCertificates").FirstOrDefault(c => ResourceIds.Comparer.Equals(c.String("id"), certificate.String("id")));
            foreach (var secret in (string[])["data", "password"])
                if (stored?.Properties()[secret] is { } value) p[secret] = value.DeepClone();
        }
    }

    /// <summary>Loads each listener certificate as the data plane will, so a bad upload fails the deployment, and derives <c>publicCertData</c>.</summary>
    private static void DeriveCertificateData(JsonObject properties)
    {
        foreach (var certificate in properties.Objects("sslCertificates"))
        {
            var p = certificate.Properties();
            var id = certificate.String("id")!;
            var data = p.String("data");
            if (data is null)
            {
                if (p.String("keyVaultSecretId") is not null)
                    throw new ArmException("ApplicationGatewayKeyVaultSecretNotSupported",
                        $"The SSL certificate {id} references a Key Vault secret; Key Vault is not reachable locally. Upload the PFX as data and password instead.", id);
                throw new ArmException("ApplicationGatewaySslCertificateDataMustBeSpecified", $"Data must be specified for the SSL certificate {id}.", id);
            }
            byte[] pfx;
            try { pfx = Convert.FromBase64String(data); }
            catch (FormatException)
            {
                throw new ArmException("ApplicationGatewaySslCertificateInvalidData",
                    $"The data of the SSL certificate {id} is not valid base64. Give the PFX file's bytes base64-encoded.", id);
            }
            var chain = new SslCertificate(id, ResourceIds.LastSegment(id), pfx, p.String("password")).Load();
            try { p["publicCertData"] = Convert.ToBase64String(PublicChain(chain).Export(X509ContentType.Pkcs7)!); }
            finally { chain.DisposeAll(); }
        }

        // A trusted client CA file is checked as Azure does on upload; what passed is kept as validatedCertData (PKCS#7 of the CAs).
        foreach (var trusted in properties.Objects("trustedClientCertificates"))
        {
            var p = trusted.Properties();
            var authorities = TrustedClientCertificateData.LoadAuthorities(trusted.String("id")!, p.String("data"));
            try
            {
                p["validatedCertData"] = Convert.ToBase64String(authorities.Export(X509ContentType.Pkcs7)!);
                p["clientCertIssuerDN"] = TrustedClientCertificateData.IssuerName(authorities).Name;
            }
            finally { authorities.DisposeAll(); }
        }
    }

    private static X509Certificate2Collection PublicChain(X509Certificate2Collection chain)
    {
        var publicOnly = new X509Certificate2Collection();
        foreach (var certificate in chain)
            publicOnly.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
        return publicOnly;
    }
}

internal static class X509CollectionExtensions
{
    public static void DisposeAll(this X509Certificate2Collection collection)
    {
        foreach (var certificate in collection) certificate.Dispose();
    }
}
