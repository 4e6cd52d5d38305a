using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary><c>Microsoft.Network/applicationGateways</c>: the typed model, provisioned and validated as Azure does.</summary>
internal sealed class ApplicationGatewayResourceType : IResourceType
{
    public const string TypeName = "Microsoft.Network/applicationGateways";

    /// <summary>Certificate uploads a GET never returns.</summary>
    public static readonly IReadOnlyList<string> CertificateUploads =
        ["properties.sslCertificates[].properties.data", "properties.sslCertificates[].properties.password"];

    public static readonly ApplicationGatewayResourceType Instance = new();

    private ApplicationGatewayResourceType() { }

    public string Name => TypeName;

    public IReadOnlyList<string> WriteOnly => CertificateUploads;

    public ProvisionedResource Provision(ResourceInput input, Func<string, ProvisionedResource?> lookup) =>
        ApplicationGatewayProvisioner.Provision(input, Canonicalizer.CanonicalizeResource(input, enumerations: true), lookup);

    public JsonObject Render(ProvisionedResource resource, ApiVersion apiVersion) =>
        ApplicationGatewayRenderer.Render(resource.Body, apiVersion);
}
