namespace Gatehouse.Network.ProfileEndpoints;

/// <summary><c>Microsoft.Cdn/profiles/endpoints</c>: the endpoint answers at <c>{endpoint}.azureedge.net</c>, its hostName.</summary>
internal static class ProfileEndpointResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.Cdn/profiles/endpoints")
    {
        Compute = DeclaredResourceType.NamedHost("hostName", "{0}.azureedge.net"),
    };
}
