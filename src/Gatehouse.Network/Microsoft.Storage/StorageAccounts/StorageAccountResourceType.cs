using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.StorageAccounts;

/// <summary><c>Microsoft.Storage/storageAccounts</c>: the account's service endpoints, <c>https://{name}.{service}.core.windows.net/</c>.</summary>
internal static class StorageAccountResourceType
{
    public static readonly IResourceType Instance = new DeclaredResourceType("Microsoft.Storage/storageAccounts") { Compute = Compute };

    private static void Compute(JsonObject body, ProvisionContext context)
    {
        var name = body.String("name")?.ToLowerInvariant();
        var endpoints = new JsonObject();
        foreach (var service in (string[])["blob", "queue", "table", "file", "web", "dfs"])
            endpoints[service] = $"https://{name}.{(service == "web" ? "z6.web" : service)}.core.windows.net/";
        body.Properties()["primaryEndpoints"] = endpoints;
    }
}
