namespace Gatehouse.Network.MySqlServers;

/// <summary><c>Microsoft.DBforMySQL/servers</c>: the administrator password is never shown.</summary>
internal static class MySqlServerResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.DBforMySQL/servers") { WriteOnly = ["properties.administratorLoginPassword"] };
}
