using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.RoleAssignments;

/// <summary>
/// <c>Microsoft.Authorization/roleAssignments</c>: a role (<c>roleDefinitionId</c>) granted to a principal
/// (<c>principalId</c>) at a scope, the resource the assignment extends (its id's prefix), as ARM computes
/// <c>scope</c>. Key Vault's RBAC checks read them (<see cref="Vaults.KeyVaultSecrets"/>).
/// </summary>
internal static class RoleAssignmentResourceType
{
    public const string TypeName = "Microsoft.Authorization/roleAssignments";

    private const string Marker = "/providers/Microsoft.Authorization/roleAssignments/";

    public static readonly IResourceType Instance = new DeclaredResourceType(TypeName)
    {
        Compute = (body, _) => body.Properties()["scope"] = Scope(body.String("id") ?? ""),
    };

    /// <summary>The id of what the assignment with id <paramref name="assignmentId"/> extends.</summary>
    public static string Scope(string assignmentId)
    {
        var at = assignmentId.LastIndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        return at <= 0 ? "/" : assignmentId[..at];
    }
}
