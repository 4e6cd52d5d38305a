using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Arm;
using Gatehouse.Network;

namespace Gatehouse.Corpus;

/// <summary>
/// The public template corpus in <c>../shared/corpus</c> (see its INDEX.md): which files are templates, which parameter
/// file goes with each, and the deployment "parameters" object to expand them with. Shared, as a linked source file,
/// by the Arm and Network conformance tests, the end-to-end tests and <c>bench/arm-corpus</c>, so all expand the same inputs.
/// </summary>
public static class CorpusTemplates
{
    /// <summary>The one stored revision that is not valid JSON (INDEX.md: missing comma after "subnetRef", fixed upstream in 132a10d9).</summary>
    public const string KnownBroken = "qs-application-gateway-create/azuredeploy.broken-0df1648.json";

    public static readonly DeploymentScope Scope = new("tenant-1", "00000000-0000-0000-0000-000000000001", "rg-corpus", "westeurope", "corpus");

    public static string Root { get; } = FindRoot();

    /// <summary>Every template file, relative to <see cref="Root"/> with '/' separators, in a stable order.</summary>
    public static IReadOnlyList<string> All { get; } = Directory
        .EnumerateFiles(Root, "*.json", SearchOption.AllDirectories)
        .Select(path => Path.GetRelativePath(Root, path).Replace('\\', '/'))
        .Where(IsTemplate)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The templates that deploy an Application Gateway: every one but <see cref="KnownBroken"/>, which does not parse.</summary>
    public static IReadOnlyList<string> Gateways { get; } = All.Where(t => t != KnownBroken).ToList();

    /// <summary>The one password of the corpus's deployments: GEN-PASSWORD, certificate passwords and generated secure strings.</summary>
    public const string Password = "Gh1!corpus-Pa55w0rd";

    /// <summary>
    /// A self-signed certificate for GEN-SELFSIGNED-CERT-*, made once per process (its key is random, the rest fixed):
    /// the provider opens certificate data, so it must be real.
    /// </summary>
    private static readonly Lazy<X509Certificate2> Certificate = new(() =>
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={CertificateDnsName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return request.CreateSelfSigned(start, start.AddYears(10));
    });

    private const string CertificateDnsName = "corpus.gatehouse.example";

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    /// <summary>
    /// The parameter file deployed with a template: <c>deploymentParameters.json</c> for <c>deploymentTemplate.json</c>,
    /// otherwise <c>azuredeploy.parameters.json</c> in the same folder for any <c>azuredeploy*.json</c>; null when there is none.
    /// </summary>
    public static string? ParameterFile(string template)
    {
        var folder = Path.GetDirectoryName(template)!;
        var name = Path.GetFileName(template);
        var candidate = name == "deploymentTemplate.json" ? "deploymentParameters.json"
            : name.StartsWith("azuredeploy", StringComparison.Ordinal) ? "azuredeploy.parameters.json"
            : null;
        return candidate is not null && File.Exists(Path.Combine(Root, folder, candidate)) ? $"{folder}/{candidate}" : null;
    }

    /// <summary>
    /// Parses the template, builds its parameters and expands it as a deployment to <see cref="Scope"/>, deployed from a
    /// link as the quickstart CI does (so <c>deployment().properties.templateLink.uri</c> exists), with the properties
    /// Azure assigns at deployment time supplied by <see cref="RuntimeState"/> and list* functions answered by
    /// <see cref="Keys"/>. Linked templates are not in the corpus and this machine is offline, so what reads their
    /// outputs is deferred, as what-if shows it (<see cref="ExpandedTemplate.DeferredPaths"/>).
    /// </summary>
    public static ExpandedTemplate Expand(string template)
    {
        var (parsed, parameters, options) = Inputs(template);
        return TemplateExpander.Expand(parsed, parameters, Scope, options);
    }

    /// <summary>The deployment of the template as ARM plans it (see <see cref="TemplateDeployment"/>), with the inputs of <see cref="Expand"/>.</summary>
    public static TemplateDeployment Plan(string template)
    {
        var (parsed, parameters, options) = Inputs(template);
        return TemplateExpander.ExpandResources(parsed, parameters, Scope, options);
    }

    private static (JsonObject Template, JsonObject Parameters, ExpansionOptions Options) Inputs(string template)
    {
        var parsed = (JsonObject)Jsonc.Parse(Read(template));
        var options = new ExpansionOptions
        {
            TemplateLink = new Uri($"https://corpus.gatehouse.example/{template}"),
            ResolveResource = RuntimeState,
            ListResource = Keys.List,
            DeferLinkedOutputs = true,
        };
        return (parsed, Parameters(parsed, ParameterFile(template)), options);
    }

    /// <summary>The provider's keys with a fixed secret and creation time, so every run reads the same keys.</summary>
    public static readonly AccessKeys Keys = new(SHA256.HashData(Encoding.UTF8.GetBytes("gatehouse corpus keys")), new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// Parameter files older than their template, which set parameters it no longer declares. Azure refuses such a pair
    /// (see the Arm tests), so these are deployed with what the template still declares. The one here: the stored
    /// qs-application-gateway-create parameter file (a575b4f) sets 'applicationGatewaySize', which the stored template
    /// (132a10d) dropped.
    /// </summary>
    public static readonly IReadOnlySet<string> ParameterFilesOlderThanTemplate = new HashSet<string> { "qs-application-gateway-create/azuredeploy.parameters.json" };

    /// <summary>
    /// What a store would know of a resource after Azure deployed it: the read-only properties the corpus reads through
    /// reference() (resourceGuid, defaultHostName, principalId, a network interface's private address, ...), derived from the
    /// id. Null for other resources.
    /// </summary>
    public static JsonObject? RuntimeState(string id)
    {
        var segments = id.Split('/');
        var name = segments[^1];
        var provider = Array.FindLastIndex(segments, s => s.Equals("providers", StringComparison.OrdinalIgnoreCase));
        var type = string.Join('/', segments.Skip(provider + 1).Where((_, i) => i == 0 || i % 2 == 1));
        JsonObject? properties = type.ToLowerInvariant() switch
        {
            "microsoft.network/publicipaddresses" => new()
            {
                ["resourceGuid"] = Guid(id), ["ipAddress"] = "203.0.113.10", ["dnsSettings"] = new JsonObject { ["fqdn"] = $"{name}.westeurope.cloudapp.azure.com" },
            },
            "microsoft.storage/storageaccounts" => new() { ["primaryEndpoints"] = new JsonObject { ["blob"] = $"https://{name}.blob.core.windows.net/" } },
            "microsoft.web/sites" => new() { ["defaultHostName"] = $"{name}.azurewebsites.net", ["hostNames"] = new JsonArray($"{name}.azurewebsites.net") },
            "microsoft.insights/components" => new() { ["InstrumentationKey"] = Guid(id) },
            "microsoft.managedidentity/userassignedidentities" => new() { ["tenantId"] = Scope.TenantId, ["principalId"] = Guid(id), ["clientId"] = Guid($"{id}#client") },
            "microsoft.sql/servers" => new() { ["fullyQualifiedDomainName"] = $"{name}.database.windows.net" },
            "microsoft.dbformysql/servers" => new() { ["fullyQualifiedDomainName"] = $"{name}.mysql.database.azure.com" },
            "microsoft.cdn/profiles/endpoints" => new() { ["hostName"] = $"{name}.azureedge.net" },
            "microsoft.keyvault/vaults" => new() { ["vaultUri"] = $"https://{name}.vault.azure.net/" },
            "microsoft.network/networkinterfaces" => new()
            {
                ["ipConfigurations"] = new JsonArray(new JsonObject { ["properties"] = new JsonObject { ["privateIPAddress"] = "10.0.1.4" } }),
            },
            "microsoft.containerinstance/containergroups" => new() { ["ipAddress"] = new JsonObject { ["ip"] = "10.0.2.4" } },
            _ => null,
        };
        return properties is null ? null : new JsonObject { ["properties"] = properties };
    }

    private static string Guid(string seed) => new Guid(Hash(seed, 16)).ToString();

    /// <summary>
    /// The parameter file's values with CI placeholders replaced (<see cref="Placeholder"/>), plus a value for every
    /// declared parameter that has neither a value nor a defaultValue and is not nullable: what a user passes
    /// (<see cref="UserValues"/>), else a generated one (<see cref="Generate"/>). A file in
    /// <see cref="ParameterFilesOlderThanTemplate"/> gives only the parameters its template declares.
    /// </summary>
    public static JsonObject Parameters(JsonObject template, string? parameterFile)
    {
        var declarations = template["parameters"] as JsonObject ?? [];
        var supplied = parameterFile is null ? [] : ParameterArguments.Merge(template, [Read(parameterFile)]);
        if (parameterFile is not null && ParameterFilesOlderThanTemplate.Contains(parameterFile))
            foreach (var undeclared in supplied.Select(p => p.Key).Where(name => Declaration(declarations, name) is null).ToList()) supplied.Remove(undeclared);
        foreach (var (name, entry) in supplied.ToList())
        {
            if (entry?["value"] is JsonValue value && value.TryGetValue<string>(out var text) && Placeholder(name, text, Declaration(declarations, name)) is { } replaced)
                supplied[name] = new JsonObject { ["value"] = replaced };
        }
        foreach (var (name, declaration) in declarations)
        {
            if (declaration is JsonObject declared && !declared.ContainsKey("defaultValue") && !declared.ContainsKey("nullable") && !supplied.Any(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)))
                supplied[name] = new JsonObject { ["value"] = UserValues.TryGetValue(name, out var value) ? value() : Generate(name, declared) };
        }
        return supplied;
    }

    /// <summary>
    /// Values for the placeholders of the quickstart CI (GEN-UNIQUE[-N], GEN-PASSWORD, GEN-SSH-PUB-KEY,
    /// GEN-SELFSIGNED-CERT-*) and for the documentation placeholders of docs-mtls-passthrough-arm; any other
    /// <c>&lt;...&gt;</c> gets the value <see cref="Generate"/> gives its declared type. Values derive from the parameter
    /// name (the certificate's key excepted), so every run expands the same input. Anything else (including
    /// GET-PREREQ-* names, which are valid strings) is kept.
    /// </summary>
    public static JsonNode? Placeholder(string name, string text, JsonObject? declaration)
    {
        if (text.StartsWith("GEN-UNIQUE", StringComparison.Ordinal))
            return Unique(name, text.Length > "GEN-UNIQUE-".Length ? int.Parse(text["GEN-UNIQUE-".Length..], System.Globalization.CultureInfo.InvariantCulture) : 18);
        return text switch
        {
            "GEN-PASSWORD" or "GEN-SELFSIGNED-CERT-PASSWORD" or "<certificate-password>" => Password,
            "GEN-SSH-PUB-KEY" or "<your-ssh-public-key>" => $"ssh-rsa {Convert.ToBase64String(Hash(name, 64))} gatehouse@corpus",
            "GEN-SELFSIGNED-CERT-PFXDATA" or "<Base64-encoded-PFX-data>" => Pfx(),
            "GEN-SELFSIGNED-CERT-CERDATA" => Convert.ToBase64String(Certificate.Value.RawData),
            "GEN-SELFSIGNED-CERT-DNSNAME" => CertificateDnsName,
            _ when text.StartsWith('<') && text.EndsWith('>') => Generate(name, declaration ?? []),
            _ => null,
        };
    }

    /// <summary>
    /// What a user passes for the required parameters that corpus templates without a parameter file declare with a
    /// meaning a generated string cannot have (their metadata.description: a PFX file, a path pattern, a host name).
    /// </summary>
    private static readonly Dictionary<string, Func<JsonNode?>> UserValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["certData"] = Pfx, ["certData1"] = Pfx, ["certData2"] = Pfx,
        ["pathMatch1"] = () => "/images/*", ["pathMatch2"] = () => "/video/*",
        ["hostName1"] = () => "www.contoso.com", ["hostName2"] = () => "www.fabrikam.com",
        ["backendIpAddress1"] = () => "10.0.1.4", ["backendIpAddress2"] = () => "10.0.1.5",
    };

    private static JsonNode Pfx() => Convert.ToBase64String(Certificate.Value.Export(X509ContentType.Pkcs12, Password));

    /// <summary>
    /// A value that satisfies a declaration: the first allowed value if any; otherwise by type, an int within
    /// minValue..maxValue (1 when allowed), true, an empty object, an array of minLength strings, a strong password for
    /// secure strings, and for strings a lowercase name of at least minLength and at most maxLength characters.
    /// </summary>
    public static JsonNode? Generate(string name, JsonObject declaration)
    {
        if (declaration["allowedValues"] is JsonArray { Count: > 0 } allowed) return allowed[0]!.DeepClone();
        var type = declaration["type"]?.GetValue<string>().ToLowerInvariant();
        long? Bound(string key) => declaration[key] is JsonValue value && value.TryGetValue<long>(out var bound) ? bound : null;
        return type switch
        {
            "int" => Math.Clamp(1, Bound("minValue") ?? long.MinValue, Bound("maxValue") ?? long.MaxValue),
            "bool" => true,
            "object" or "secureobject" => new JsonObject(),
            "array" => new JsonArray(Enumerable.Range(0, (int)(Bound("minLength") ?? 0)).Select(i => (JsonNode?)$"{name}{i}").ToArray()),
            "securestring" => Password,
            _ => Unique(name, (int)Math.Clamp(12, Bound("minLength") ?? 0, Bound("maxLength") ?? 64)),
        };
    }

    /// <summary>Lowercase letters and digits, starting with a letter, as storage account and DNS names need.</summary>
    private static string Unique(string seed, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var text = new StringBuilder("g");
        foreach (var b in Hash(seed, length - 1)) text.Append(alphabet[b % alphabet.Length]);
        return text.ToString();
    }

    private static byte[] Hash(string seed, int length)
    {
        var bytes = new List<byte>();
        for (var block = 0; bytes.Count < length; block++) bytes.AddRange(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}#{block}")));
        return bytes.Take(length).ToArray();
    }

    private static JsonObject? Declaration(JsonObject declarations, string name) =>
        declarations.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value as JsonObject;

    /// <summary>Templates are the *.json files other than parameter files (*.parameters.json, deploymentParameters.json) and the corpus's own metadata.</summary>
    private static bool IsTemplate(string relativePath)
    {
        var name = Path.GetFileName(relativePath);
        return !name.EndsWith("parameters.json", StringComparison.OrdinalIgnoreCase) && name is not ("analysis.json" or "version.json");
    }

    /// <summary>The corpus sits next to the repository: walk up to the directory holding Gatehouse.slnx, then ../shared/corpus.</summary>
    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Gatehouse.slnx"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException($"No Gatehouse.slnx above {AppContext.BaseDirectory}.");
        return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "corpus"));
    }
}
