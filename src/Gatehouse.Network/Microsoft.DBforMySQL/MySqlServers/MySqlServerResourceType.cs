namespace Gatehouse.Network.MySqlServers;

/// <summary><c>Microsoft.DBforMySQL/servers</c>: the administrator password is never shown; the server answers at <c>{name}.mysql.database.azure.com</c>.</summary>
internal static class MySqlServerResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.DBforMySQL/servers")
    {
        WriteOnly = ["properties.administratorLoginPassword"],
        Compute = DeclaredResourceType.NamedHost("fullyQualifiedDomainName", "{0}.mysql.database.azure.com"),
    };
}
