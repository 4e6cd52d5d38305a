namespace Gatehouse.Network.SqlServers;

/// <summary><c>Microsoft.Sql/servers</c>: the administrator password is never shown.</summary>
internal static class SqlServerResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.Sql/servers") { WriteOnly = ["properties.administratorLoginPassword"] };
}
