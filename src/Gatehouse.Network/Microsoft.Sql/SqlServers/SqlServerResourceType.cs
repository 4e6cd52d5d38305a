namespace Gatehouse.Network.SqlServers;

/// <summary><c>Microsoft.Sql/servers</c>: the administrator password is never shown; the server answers at <c>{name}.database.windows.net</c>.</summary>
internal static class SqlServerResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.Sql/servers")
    {
        WriteOnly = ["properties.administratorLoginPassword"],
        Compute = DeclaredResourceType.NamedHost("fullyQualifiedDomainName", "{0}.database.windows.net"),
    };
}
