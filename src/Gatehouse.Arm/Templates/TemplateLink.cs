using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Templates;

/// <summary>
/// Reads one nested deployment's linked template and parameters through <see cref="ExpansionOptions.ResolveTemplateLink"/>.
/// Errors name the deployment and the URI without its query, which may hold a SAS token.
/// </summary>
internal sealed class TemplateLink(TemplateContext outer, string deploymentName, Func<Uri, JsonObject?> resolve)
{
    /// <summary>
    /// <c>uri</c>, or <c>relativePath</c> resolved against the parent template's link, keeping the parent's query (its
    /// SAS token) as ARM does.
    /// </summary>
    public Uri Uri(JsonObject link, string linkPath)
    {
        if (Values.TryGetProperty(link, "uri", out var uriNode))
        {
            var uriPath = TemplateValues.Child(linkPath, "uri");
            return System.Uri.TryCreate(TemplateValues.EvaluateText(uriNode, uriPath, outer.Evaluator), UriKind.Absolute, out var uri)
                && (uri.Scheme == System.Uri.UriSchemeHttps || uri.Scheme == System.Uri.UriSchemeHttp)
                ? uri
                : throw new ArmException("InvalidTemplate", $"The link of the deployment '{deploymentName}' at '{uriPath}' must be an absolute http or https URI.", uriPath);
        }
        if (Values.TryGetProperty(link, "relativePath", out var relativeNode))
        {
            var relativePath = TemplateValues.Child(linkPath, "relativePath");
            var parent = outer.Options.TemplateLink
                ?? throw new ArmException("InvalidTemplate", $"The relative link of the deployment '{deploymentName}' at '{relativePath}' needs its parent template to be deployed from a link.", relativePath);
            var resolved = new Uri(parent, TemplateValues.EvaluateText(relativeNode, relativePath, outer.Evaluator));
            return resolved.Query.Length > 0 ? resolved : new Uri(resolved.GetLeftPart(UriPartial.Path) + parent.Query);
        }
        throw new ArmException("InvalidTemplate",
            $"The templateLink of the deployment '{deploymentName}' at '{linkPath}' must have a 'uri' or a 'relativePath'; template specs ('id') are not deployed here.", linkPath);
    }

    /// <summary>A document this link needs was not at hand (see <see cref="ExpansionOptions.ResolveTemplateLink"/>).</summary>
    public bool Pending { get; private set; }

    /// <summary>The linked template, whose contentVersion must be the one the link asks for, if it asks; null while <see cref="Pending"/>.</summary>
    public JsonObject? Template(JsonObject link, Uri uri, string linkPath)
    {
        if (Read(uri, linkPath) is not { } template) return null;
        if (Values.Property(link, "contentVersion") is { } wanted)
        {
            var versionPath = TemplateValues.Child(linkPath, "contentVersion");
            var expected = TemplateValues.EvaluateText(wanted, versionPath, outer.Evaluator);
            Values.TryGetString(Values.Property(template, "contentVersion"), out var actual);
            if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
                throw new ArmException("InvalidContentLink",
                    $"The content version '{actual}' of the template linked by the deployment '{deploymentName}' from '{Redacted(uri)}' is not the version '{expected}' that the link asks for.", versionPath);
        }
        return template;
    }

    /// <summary>
    /// The parameters of a <c>parametersLink</c>; ARM takes them from there or from <c>parameters</c>, never both. Null
    /// while <see cref="Pending"/>.
    /// </summary>
    public JsonObject? Parameters(JsonObject properties, JsonNode? parametersLink, string parametersLinkPath)
    {
        if (Values.Property(properties, "parameters") is not null)
            throw new ArmException("InvalidTemplate", $"The deployment '{deploymentName}' has both 'parameters' and 'parametersLink'; give one of them.", parametersLinkPath);
        var link = parametersLink as JsonObject
            ?? throw new ArmException("InvalidTemplate", $"The parametersLink of the deployment '{deploymentName}' at '{parametersLinkPath}' must be an object.", parametersLinkPath);
        var uri = Uri(link, parametersLinkPath);
        return Read(uri, parametersLinkPath) is { } parameters ? ParameterArguments.ParametersOf(parameters) : null;
    }

    private JsonObject? Read(Uri uri, string path)
    {
        try
        {
            var document = resolve(uri);
            Pending |= document is null;
            return document;
        }
        catch (TemplateLinkException e)
        {
            throw new ArmException("InvalidContentLink", $"Unable to download deployment content of the deployment '{deploymentName}' from '{Redacted(uri)}': {e.Message}", path);
        }
    }

    /// <summary>Scheme, host, port and path: the user info and query of a link may hold credentials (a SAS token).</summary>
    public static string Redacted(Uri uri) =>
        uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) + (uri.Query.Length > 0 ? "?[query redacted]" : "");
}
