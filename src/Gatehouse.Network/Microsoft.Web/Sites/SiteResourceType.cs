namespace Gatehouse.Network.Sites;

/// <summary><c>Microsoft.Web/sites</c>: app settings and connection strings are never shown.</summary>
internal static class SiteResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.Web/sites") { WriteOnly = ["properties.siteConfig.appSettings", "properties.siteConfig.connectionStrings"] };
}
