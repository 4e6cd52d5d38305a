using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.UserAssignedIdentities;

/// <summary><c>Microsoft.ManagedIdentity/userAssignedIdentities</c>: principal and client ids made once, kept across redeploys of the same identity.</summary>
internal static class UserAssignedIdentityResourceType
{
    public const string TypeName = "Microsoft.ManagedIdentity/userAssignedIdentities";

    public static readonly IResourceType Instance =
        new DeclaredResourceType(TypeName) { Compute = Compute, InDirectory = true };

    private static void Compute(JsonObject body, ProvisionContext context)
    {
        var properties = body.Properties();
        foreach (var id in (string[])["principalId", "clientId"])
            properties[id] = DeclaredResourceType.Generated(context.Previous.Properties(), id);
    }
}
