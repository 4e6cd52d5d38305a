using System.Text.Json.Nodes;

namespace Gatehouse.Control.Api;

/// <summary>The one tenant and subscription, and the Microsoft.Network provider's registration (its resource types and api-versions).</summary>
internal static class SubscriptionEndpoints
{
    private const string NetworkNamespace = "Microsoft.Network";

    private static readonly string[] NetworkResourceTypes = ["applicationGateways", "virtualNetworks", "publicIPAddresses", "networkSecurityGroups"];

    private static readonly string[] NetworkApiVersions =
    [
        "2025-03-01", "2024-10-01", "2024-07-01", "2024-05-01", "2024-03-01", "2024-01-01", "2023-11-01", "2023-09-01", "2023-06-01",
        "2023-05-01", "2023-04-01", "2023-02-01", "2022-11-01", "2022-09-01", "2022-07-01", "2022-05-01", "2022-01-01", "2021-08-01",
        "2021-05-01", "2021-03-01", "2021-02-01", "2020-11-01", "2020-08-01", "2020-07-01", "2020-06-01", "2020-05-01",
    ];

    public static void MapSubscriptionEndpoints(this RouteGroupBuilder arm, RouteGroupBuilder subscription)
    {
        arm.MapGet("/subscriptions", (Credentials credentials) => ArmResponses.Json(new JsonObject { ["value"] = new JsonArray(Subscription(credentials)) }));
        arm.MapGet("/tenants", (Credentials credentials) => ArmResponses.Json(new JsonObject
        {
            ["value"] = new JsonArray(new JsonObject { ["id"] = $"/tenants/{credentials.TenantId}", ["tenantId"] = credentials.TenantId }),
        }));
        subscription.MapGet("", (Credentials credentials) => ArmResponses.Json(Subscription(credentials)));
        subscription.MapGet("/providers/{providerNamespace}", (string subscriptionId, string providerNamespace) =>
            providerNamespace.Equals(NetworkNamespace, StringComparison.OrdinalIgnoreCase)
                ? ArmResponses.Json(NetworkRegistration(subscriptionId))
                : ArmResponses.Error("InvalidResourceNamespace", $"The resource namespace '{providerNamespace}' is invalid."));
    }

    private static JsonObject Subscription(Credentials credentials) => new()
    {
        ["id"] = $"/subscriptions/{credentials.SubscriptionId}",
        ["subscriptionId"] = credentials.SubscriptionId,
        ["tenantId"] = credentials.TenantId,
        ["displayName"] = "Gatehouse",
        ["state"] = "Enabled",
    };

    private static JsonObject NetworkRegistration(string subscriptionId) => new()
    {
        ["id"] = $"/subscriptions/{subscriptionId}/providers/{NetworkNamespace}",
        ["namespace"] = NetworkNamespace,
        ["registrationState"] = "Registered",
        ["resourceTypes"] = new JsonArray(NetworkResourceTypes.Select(type => (JsonNode)new JsonObject
        {
            ["resourceType"] = type,
            ["locations"] = new JsonArray(),
            ["apiVersions"] = new JsonArray(NetworkApiVersions.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
        }).ToArray()),
    };
}
