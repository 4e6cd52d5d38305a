using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Arm;

namespace Gatehouse.Network.Tests;

/// <summary>
/// A corpus template deployed as a deployment would: expanded by the template engine with its parameter file
/// (CI placeholders such as GEN-UNIQUE replaced) and generated values for required parameters, then every
/// resource provisioned in order. <see cref="Deploy"/> says what happened in one line.
/// </summary>
internal static class CorpusTemplate
{
    public static readonly string Root = ReferenceDeployment.SharedPath("corpus");

    /// <summary>Every template file of the corpus with an applicationGateways resource, relative to the corpus folder.</summary>
    public static IEnumerable<string> GatewayTemplates() =>
        Directory.EnumerateFiles(Root, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => f.Contains('/') && !f.Contains("/tests/") && !IsParameterFile(f) && !f.Contains(".broken-"))
            .Where(f => File.ReadAllText(Path.Combine(Root, f)).Contains("Microsoft.Network/applicationGateways", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);

    /// <summary>"ok" when every resource provisioned; otherwise "expand: CODE" or "provision TYPE: CODE".</summary>
    public static string Deploy(string file)
    {
        var template = (JsonObject)Jsonc.Parse(File.ReadAllText(Path.Combine(Root, file)));
        ExpandedTemplate expanded;
        try { expanded = TemplateExpander.Expand(template, Parameters(template, file), ReferenceDeployment.Scope); }
        catch (ArmException e) { return $"expand: {e.Error.Code}: {e.Error.Message}"; }

        var provisioned = new Dictionary<string, ProvisionedResource>(ResourceIds.Comparer);
        foreach (var resource in expanded.Resources)
        {
            try
            {
                provisioned[resource.Id] = NetworkProvider.Provision(
                    new ResourceInput(resource.Id, resource.Type, resource.Name, resource.ApiVersion, resource.Body),
                    id => provisioned.GetValueOrDefault(id));
            }
            catch (ArmException e) { return $"provision {resource.Type}: {e.Error.Code}: {e.Error.Message}"; }
        }
        return provisioned.Values.Any(r => NetworkProvider.IsApplicationGateway(r.Type)) ? "ok" : "ok (no gateway deployed)";
    }

    private static bool IsParameterFile(string file) =>
        Path.GetFileName(file).Contains("parameters", StringComparison.OrdinalIgnoreCase) || file.EndsWith("/version.json") || !file.Contains('/');

    private static JsonObject Parameters(JsonObject template, string file)
    {
        var folder = Path.GetDirectoryName(Path.Combine(Root, file))!;
        var parameterFile = new[] { "azuredeploy.parameters.json", "deploymentParameters.json" }
            .Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);
        var given = parameterFile is null ? new JsonObject() : ParameterArguments.Merge(template, [File.ReadAllText(parameterFile)]);
        var declared = template["parameters"] as JsonObject ?? [];

        var parameters = new JsonObject();
        foreach (var (name, declaration) in declared)
        {
            var entry = given.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value as JsonObject;
            if (entry?["value"] is { } value && !IsPlaceholder(value))
                parameters[name] = new JsonObject { ["value"] = Replace(value.DeepClone()) };
            else if (declaration?["defaultValue"] is null)
                parameters[name] = new JsonObject { ["value"] = Generate(name, declaration!.AsObject()) };
        }
        return parameters;
    }

    // Documentation samples write "<your-ssh-public-key>" where the reader fills in a value.
    private static bool IsPlaceholder(JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is ['<', .., '>'];

    /// <summary>The CI placeholders of the quickstart repository, replaced by values of their kind.</summary>
    private static JsonNode? Replace(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is var text && text.StartsWith("GE") => text switch
        {
            "GEN-PASSWORD" or "GEN-SELFSIGNED-CERT-PASSWORD" => ReferenceDeployment.Password,
            "GEN-SELFSIGNED-CERT-PFXDATA" => Convert.ToBase64String(ReferenceDeployment.Pfx),
            "GEN-SELFSIGNED-CERT-CERDATA" => CerData,
            "GEN-SELFSIGNED-CERT-DNSNAME" => "gateway.test",
            "GEN-SSH-PUB-KEY" => "ssh-ed25519 AAAAC3Nz test",
            _ when text.StartsWith("GEN-UNIQUE") => "gh" + text.Length.ToString("x2") + "corpus",
            _ when text.StartsWith("GET-PREREQ-") => "prereq",
            _ => text,
        },
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Replace(p.Value?.DeepClone())))),
        JsonArray array => new JsonArray(array.Select(i => Replace(i?.DeepClone())).ToArray()),
        _ => value,
    };

    private static readonly string CerData = Convert.ToBase64String(
        X509CertificateLoader.LoadPkcs12(ReferenceDeployment.Pfx, ReferenceDeployment.Password).RawData);

    /// <summary>A value for a required parameter the parameter file leaves out, chosen by its declared type and name.</summary>
    private static JsonNode? Generate(string name, JsonObject declaration)
    {
        if (declaration["allowedValues"] is JsonArray { Count: > 0 } allowed) return allowed[0]!.DeepClone();
        var lower = name.ToLowerInvariant();
        return ((string?)declaration["type"])?.ToLowerInvariant() switch
        {
            "int" => (long?)declaration["minValue"] ?? 1,
            "bool" => false,
            "array" => new JsonArray(),
            "object" or "secureobject" => new JsonObject(),
            _ when lower.Contains("password") => ReferenceDeployment.Password,
            _ when lower.Contains("cert") && lower.Contains("data") => Convert.ToBase64String(ReferenceDeployment.Pfx),
            _ when lower.Contains("sshkey") || lower.Contains("publickey") => "ssh-ed25519 AAAAC3Nz test",
            _ when lower.Contains("path") => $"/{lower}/*",
            _ when lower.EndsWith("id") => $"/subscriptions/{ReferenceDeployment.Scope.SubscriptionId}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/external/subnets/{name}",
            _ => "gh" + lower[..Math.Min(lower.Length, 10)],
        };
    }
}
