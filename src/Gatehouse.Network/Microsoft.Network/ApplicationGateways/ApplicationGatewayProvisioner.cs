using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.Json;
using static Gatehouse.Network.PropertyPaths;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// Turns an applicationGateways resource as written into its stored form (ids, etags, provisioning states,
/// derived certificate data, every collection present) and validates it as Azure does.
/// </summary>
internal static class ApplicationGatewayProvisioner
{
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
        V1Retirement.Refuse(given);

        var properties = new JsonObject { ["provisioningState"] = "Succeeded", ["resourceGuid"] = previousGuid ?? Guid.NewGuid().ToString() };
        foreach (var (name, value) in given)
        {
            if (ReadOnlyProperties.Contains(name)) continue;
            properties[name] = Collections.Contains(name)
                ? SubResources.Shape(input.Id, name, value as JsonArray, etag, $"properties.{name}", TypedCollections.Contains(name) ? $"{ApplicationGatewayResourceType.TypeName}/{name}" : null)
                : value?.DeepClone();
        }
        ApplicationGatewayRenderer.RemoveBackReferences(properties);
        foreach (var collection in Collections)
            properties[collection] ??= new JsonArray();
        foreach (var (collection, property, value) in ServerDefaults)
            foreach (var item in collection is null ? [properties] : properties.Objects(collection).Select(i => i.Properties()))
                item[property] ??= JsonNode.Parse(value);
        // A redeploy leaves a stopped gateway stopped: only the start action starts it.
        properties["operationalState"] = previous.String("operationalState") ?? nameof(GatewayOperationalState.Running);
        properties["defaultPredefinedSslPolicy"] = SslPolicies.DefaultPolicyName;

        var body = new JsonObject
        {
            ["name"] = input.Name,
            ["id"] = input.Id,
            ["etag"] = etag,
            ["type"] = ApplicationGatewayResourceType.TypeName,
        };
        foreach (var (name, value) in canonical)
            if (name is not ("name" or "id" or "etag" or "type" or "properties"))
                body[name] = value?.DeepClone();
        body["properties"] = properties;

        KeepUploadedSecrets(properties, previous);
        var errors = new ArmErrorList();
        DeriveCertificateData(properties, errors);
        LocalSupport.Refuse(input.Id, body, errors);
        ApplicationGatewayValidator.Validate(ApplicationGatewayReader.Read(input.Id, body), properties, new ApiVersion(input.ApiVersion), lookup, errors);
        errors.ThrowIfAny(problems => ArmErrors.ResourceValidationFailed(input.Id, problems));
        return new ProvisionedResource(input.Id, ApplicationGatewayResourceType.TypeName, input.Name, input.ApiVersion, body);
    }

    public static ProvisionedResource WithOperationalState(ProvisionedResource gateway, GatewayOperationalState state)
    {
        var body = gateway.Body.DeepClone().AsObject();
        body["etag"] = $"W/\"{Guid.NewGuid()}\"";
        body.Properties()["operationalState"] = state.ToString();
        return gateway with { Body = body };
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
    private static void DeriveCertificateData(JsonObject properties, ArmErrorList errors)
    {
        foreach (var (certificate, index) in properties.Objects("sslCertificates").Select((c, i) => (c, Item("sslCertificates", i))))
        {
            var p = certificate.Properties();
            var id = certificate.String("id")!;
            var data = p.String("data");
            // A Key Vault certificate is read when the gateway is served (KeyVaultCertificates); the validator checks the reference.
            if (data is null && p.String("keyVaultSecretId") is not null) continue;
            if (data is null)
            {
                errors.Add(ArmErrors.SslCertificateDataMissing(Of(index, "data"), id));
                continue;
            }
            if (!TryDecodeBase64(data, out var pfx))
            {
                errors.Add(ArmErrors.SslCertificateNotBase64(Of(index, "data"), id));
                continue;
            }
            X509Certificate2Collection chain;
            try { chain = new SslCertificate(id, ResourceIds.LastSegment(id), pfx, p.String("password")).Load(Of(index, "data")); }
            catch (ArmException e)
            {
                errors.Add(e.Error);
                continue;
            }
            try { p["publicCertData"] = Convert.ToBase64String(PublicChain(chain).Export(X509ContentType.Pkcs7)!); }
            finally { chain.DisposeAll(); }
        }

        // A trusted client CA file is checked as Azure does on upload; what passed is kept as validatedCertData (PKCS#7 of the CAs).
        foreach (var (trusted, index) in properties.Objects("trustedClientCertificates").Select((c, i) => (c, Item("trustedClientCertificates", i))))
        {
            var p = trusted.Properties();
            X509Certificate2Collection authorities;
            try { authorities = TrustedClientCertificateData.LoadAuthorities(trusted.String("id")!, p.String("data"), Of(index, "data")); }
            catch (ArmException e)
            {
                errors.Add(e.Error);
                continue;
            }
            try
            {
                p["validatedCertData"] = Convert.ToBase64String(authorities.Export(X509ContentType.Pkcs7)!);
                p["clientCertIssuerDN"] = TrustedClientCertificateData.IssuerName(authorities).Name;
            }
            finally { authorities.DisposeAll(); }
        }
    }

    /// <summary>Base64 as a PFX is uploaded; the reader decodes the same data once this has accepted it.</summary>
    internal static bool TryDecodeBase64(string data, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(data);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
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
