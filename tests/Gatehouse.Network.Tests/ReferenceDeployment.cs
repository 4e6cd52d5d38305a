using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gatehouse.Arm;

namespace Gatehouse.Network.Tests;

/// <summary>The quickstart's mTLS Passthrough template, expanded by the real template engine with a PFX made here.</summary>
internal static class ReferenceDeployment
{
    public const string Password = "Pa55-w0rd-in-test";
    public static readonly DeploymentScope Scope = new("00000000-0000-0000-0000-0000000000aa", "11111111-2222-3333-4444-555555555555", "rg1", "local", "deploymentTemplate");
    public static readonly string GatewayId = $"/subscriptions/{Scope.SubscriptionId}/resourceGroups/rg1/providers/Microsoft.Network/applicationGateways/mtlsAppGw";

    public static readonly byte[] Pfx = MakePfx(Password);

    public static byte[] MakePfx(string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=gateway.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return certificate.Export(X509ContentType.Pkcs12, password);
    }

    public static string TemplatePath(string file) => SharedPath("corpus", "docs-mtls-passthrough-arm", file);

    /// <summary>A file of the shared reference material beside the repository (corpus, REST examples).</summary>
    public static string SharedPath(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx"))) dir = dir.Parent;
        return Path.Combine([dir!.FullName, "..", "shared", .. parts]);
    }

    public static ExpandedTemplate Expand(string certData, string password)
    {
        var template = (JsonObject)Jsonc.Parse(File.ReadAllText(TemplatePath("deploymentTemplate.json")));
        var parameters = ParameterArguments.Merge(template,
        [
            File.ReadAllText(TemplatePath("deploymentParameters.json")),
            $"certData={certData}", $"certPassword={password}", "adminSSHKey=ssh-ed25519 AAAAC3Nz test",
        ]);
        return TemplateExpander.Expand(template, parameters, Scope);
    }

    /// <summary>Provisions every resource in order, as a deployment does, and returns them by id.</summary>
    public static Dictionary<string, ProvisionedResource> Provision(string? certData = null, string password = Password)
    {
        var provisioned = new Dictionary<string, ProvisionedResource>(ResourceIds.Comparer);
        foreach (var resource in Expand(certData ?? Convert.ToBase64String(Pfx), password).Resources)
            provisioned[resource.Id] = NetworkProvider.Provision(
                new ResourceInput(resource.Id, resource.Type, resource.Name, resource.ApiVersion, resource.Body),
                id => provisioned.GetValueOrDefault(id));
        return provisioned;
    }

    public static ResourceInput GatewayInput(Action<JsonObject>? edit = null)
    {
        var gateway = Expand(Convert.ToBase64String(Pfx), Password).Resources.Single(r => NetworkProvider.IsApplicationGateway(r.Type));
        var body = (JsonObject)gateway.Body.DeepClone();
        edit?.Invoke(body);
        return new ResourceInput(gateway.Id, gateway.Type, gateway.Name, gateway.ApiVersion, body);
    }

    /// <summary>The gateway's neighbours (virtual network, public IP) as provisioned, for lookups.</summary>
    public static Func<string, ProvisionedResource?> Neighbours()
    {
        var all = Provision();
        return id => NetworkProvider.IsApplicationGateway(all.GetValueOrDefault(id)?.Type ?? "") ? null : all.GetValueOrDefault(id);
    }
}
