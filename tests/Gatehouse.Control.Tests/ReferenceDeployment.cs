using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Gatehouse.Control.Tests;

/// <summary>The reference example (docs-mtls-passthrough-arm) with a real PFX in place of the article's placeholders.</summary>
public sealed class ReferenceDeployment
{
    public const string GatewayName = "mtlsAppGw";

    private ReferenceDeployment(string templateText, string certData, string certPassword)
    {
        TemplateText = templateText;
        CertData = certData;
        CertPassword = certPassword;
    }

    public string TemplateText { get; }

    public string CertData { get; }

    public string CertPassword { get; }

    public JsonObject Template => JsonNode.Parse(TemplateText)!.AsObject();

    public static ReferenceDeployment Create()
    {
        var password = $"pfx-{Guid.NewGuid():N}";
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=gateway.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pfx = Convert.ToBase64String(certificate.Export(X509ContentType.Pfx, password));
        return new ReferenceDeployment(File.ReadAllText(Path.Combine(CorpusDirectory(), "deploymentTemplate.json")), pfx, password);
    }

    public JsonObject Parameters(string? certPassword = null) => new()
    {
        ["adminUsername"] = new JsonObject { ["value"] = "ubuntu" },
        ["adminSSHKey"] = new JsonObject { ["value"] = "ssh-ed25519 AAAA test" },
        ["certData"] = new JsonObject { ["value"] = CertData },
        ["certPassword"] = new JsonObject { ["value"] = certPassword ?? CertPassword },
    };

    /// <summary>The deployment PUT body as ordinary JSON (what <c>--template-uri</c> clients send).</summary>
    public JsonObject Body(JsonObject? template = null, string? certPassword = null) => new()
    {
        ["properties"] = new JsonObject
        {
            ["mode"] = "Incremental",
            ["parameters"] = Parameters(certPassword),
            ["template"] = template?.DeepClone() ?? Template,
        },
    };

    /// <summary>
    /// The body exactly as az sends it with <c>--template-file</c> (azure-cli.md §4):
    /// <c>json.dumps(rest)[:-2] + ", template:" + raw file text + "}}"</c>, so an unquoted key and the file's comments.
    /// </summary>
    public string AzJsoncBody()
    {
        var rest = new JsonObject { ["properties"] = new JsonObject { ["mode"] = "Incremental", ["parameters"] = Parameters() } }.ToJsonString();
        var template = "// deployed by a test\n" + TemplateText.Replace("\"resources\": [", "/* the gateway and what it needs */ \"resources\": [", StringComparison.Ordinal);
        return rest[..^2] + ", template:" + template + "}}";
    }

    private static string CorpusDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Gatehouse.slnx"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException("Gatehouse.slnx not found above " + AppContext.BaseDirectory);
        return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "corpus", "docs-mtls-passthrough-arm"));
    }
}
