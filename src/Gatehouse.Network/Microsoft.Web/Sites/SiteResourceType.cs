using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.Sites;

/// <summary>
/// <c>Microsoft.Web/sites</c>: app settings and connection strings are never shown; the site answers at
/// <c>{name}.azurewebsites.net</c>, its default host name and first host name, as in Azure.
/// </summary>
internal static class SiteResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.Web/sites")
    {
        WriteOnly = ["properties.siteConfig.appSettings", "properties.siteConfig.connectionStrings"],
        Compute = Compute,
    };

    private static void Compute(JsonObject body, ProvisionContext context)
    {
        var properties = body.Properties();
        var host = $"{body.String("name")}.azurewebsites.net".ToLowerInvariant();
        properties["defaultHostName"] = host;
        properties["hostNames"] = new JsonArray(host);
        properties["enabledHostNames"] = new JsonArray(host, $"{body.String("name")}.scm.azurewebsites.net".ToLowerInvariant());
    }
}
