using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text;
using Gatehouse.Errors;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json;

namespace Gatehouse.Control.Deployments;

/// <summary>The body of a deployment PUT, validate or what-if: <c>{"properties":{"template","parameters","mode"}}</c>.</summary>
internal sealed record DeploymentRequest(JsonObject Template, JsonObject? Parameters, string Mode)
{
    public const string IncrementalMode = "Incremental";

    /// <summary>Resources of the group that the template does not name are deleted.</summary>
    public const string CompleteMode = "Complete";

    public bool IsComplete => Mode == CompleteMode;

    /// <summary>Hex SHA-256 of the template as sent, so that two deployments of the same template can be recognized.</summary>
    public string TemplateHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Template.ToJsonString())));

    /// <summary>
    /// Parses the body as az sends it with <c>--template-file</c>: JSONC where <c>template</c> is an unquoted key followed by the
    /// raw template text, comments included. System.Text.Json rejects the unquoted key; Newtonsoft accepts it.
    /// </summary>
    public static DeploymentRequest Parse(string body)
    {
        var properties = ParseJsonc(body)["properties"] as JsonObject
            ?? throw InvalidContent("The request content has no 'properties' object.");
        if (properties["templateLink"] is not null || properties["parametersLink"] is not null)
            throw InvalidContent("'templateLink' and 'parametersLink' are not supported: send the template and its parameters inline.");
        var template = properties["template"] as JsonObject ?? throw InvalidContent("The request content has no 'properties.template' object.");
        var parameters = properties["parameters"] switch
        {
            null => null,
            JsonObject p => p,
            _ => throw InvalidContent("'properties.parameters' must be an object."),
        };
        var mode = properties["mode"]?.GetValue<string>() ?? IncrementalMode;
        var canonical = new[] { IncrementalMode, CompleteMode }.FirstOrDefault(m => m.Equals(mode, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArmException("InvalidDeploymentMode", $"The deployment mode '{mode}' is not valid: use '{IncrementalMode}' or '{CompleteMode}'.");
        return new DeploymentRequest(template, parameters, canonical);
    }

    private const int MaxDepth = 64;

    private static JsonObject ParseJsonc(string body)
    {
        try
        {
            using var reader = new JsonTextReader(new StringReader(body))
            {
                // Template strings such as "2025-03-01" must stay strings, and numbers keep their exact text.
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Decimal,
                // ARM's (and System.Text.Json's) limit, checked here so that the conversion below cannot fail on depth.
                MaxDepth = MaxDepth,
            };
            var token = JToken.ReadFrom(reader, new JsonLoadSettings { CommentHandling = CommentHandling.Ignore, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
            return JsonNode.Parse(token.ToString(Formatting.None)) as JsonObject ?? throw InvalidContent("The request content is not a JSON object.");
        }
        catch (JsonReaderException e)
        {
            throw InvalidContent($"The request content could not be parsed: line {e.LineNumber}, position {e.LinePosition}.");
        }
    }

    private static ArmException InvalidContent(string message) => new("InvalidRequestContent", message);
}
