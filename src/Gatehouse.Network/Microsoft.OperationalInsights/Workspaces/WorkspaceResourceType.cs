using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.Workspaces;

/// <summary><c>Microsoft.OperationalInsights/workspaces</c> (Log Analytics): the workspace id, customerId, made once and kept across redeploys.</summary>
internal static class WorkspaceResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.OperationalInsights/workspaces") { Compute = Compute };

    private static void Compute(JsonObject body, ProvisionContext context) =>
        body.Properties()["customerId"] = DeclaredResourceType.Generated(context.Previous.Properties(), "customerId");
}
