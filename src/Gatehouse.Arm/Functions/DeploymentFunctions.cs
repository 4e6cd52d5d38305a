using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Functions;

/// <summary>parameters, variables, copyIndex and the scope objects: resourceGroup, subscription, tenant, deployment.</summary>
internal static class DeploymentFunctions
{
    public static IEnumerable<ArmFunction> All { get; } =
    [
        ArmFunction.Fixed("parameters", 1, args => args.Context.Parameter(args.String(0))?.DeepClone()),
        ArmFunction.Fixed("variables", 1, args => args.Context.Variable(args.String(0))?.DeepClone()),
        new("copyIndex", 0, 2, CopyIndex),
        ArmFunction.Fixed("resourceGroup", 0, args => ResourceGroup(args.Context.Scope)),
        ArmFunction.Fixed("subscription", 0, args => Subscription(args.Context.Scope)),
        ArmFunction.Fixed("tenant", 0, args => new JsonObject { ["tenantId"] = args.Context.Scope.TenantId }),
        ArmFunction.Fixed("deployment", 0, args => Deployment(args.Context)),
        ArmFunction.Fixed("environment", 0, _ => Environment()),
    ];

    /// <summary>The public Azure cloud, as environment() describes it there (ARM template functions reference, deployment functions).</summary>
    private static JsonObject Environment() => new()
    {
        ["name"] = "AzureCloud",
        ["gallery"] = "https://gallery.azure.com/",
        ["graph"] = "https://graph.windows.net/",
        ["portal"] = "https://portal.azure.com",
        ["graphAudience"] = "https://graph.windows.net/",
        ["activeDirectoryDataLake"] = "https://datalake.azure.net/",
        ["batch"] = "https://batch.core.windows.net/",
        ["media"] = "https://rest.media.azure.net",
        ["sqlManagement"] = "https://management.core.windows.net:8443/",
        ["vmImageAliasDoc"] = "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json",
        ["resourceManager"] = "https://management.azure.com/",
        ["authentication"] = new JsonObject
        {
            ["loginEndpoint"] = "https://login.microsoftonline.com/",
            ["audiences"] = new JsonArray("https://management.core.windows.net/", "https://management.azure.com/"),
            ["tenant"] = "common",
            ["identityProvider"] = "AAD",
        },
        ["suffixes"] = new JsonObject
        {
            ["acrLoginServer"] = ".azurecr.io",
            ["azureDatalakeAnalyticsCatalogAndJob"] = "azuredatalakeanalytics.net",
            ["azureDatalakeStoreFileSystem"] = "azuredatalakestore.net",
            ["azureFrontDoorEndpointSuffix"] = "azurefd.net",
            ["keyvaultDns"] = ".vault.azure.net",
            ["sqlServerHostname"] = ".database.windows.net",
            ["storage"] = "core.windows.net",
        },
    };

    /// <summary>copyIndex(), copyIndex(offset), copyIndex('loop'), copyIndex('loop', offset).</summary>
    private static JsonNode CopyIndex(FunctionArguments args)
    {
        var named = args.Count > 0 && args.KindOf(0) == ValueKind.String;
        var offsetAt = named ? 1 : 0;
        var offset = args.Count > offsetAt ? args.Integer(offsetAt) : 0;
        if (!named && args.Count > 1) throw args.WrongType(0, ValueKind.String);
        return JsonValue.Create(args.Context.CopyIndex(named ? args.String(0) : null) + offset);
    }

    public static string ResourceGroupId(DeploymentScope scope) => $"{SubscriptionScopeId(scope.SubscriptionId)}/resourceGroups/{scope.ResourceGroup}";

    public static string SubscriptionScopeId(string subscriptionId) => $"/subscriptions/{subscriptionId}";

    private static JsonObject ResourceGroup(DeploymentScope scope) => new()
    {
        ["id"] = ResourceGroupId(scope),
        ["name"] = scope.ResourceGroup,
        ["type"] = "Microsoft.Resources/resourceGroups",
        ["location"] = scope.Location,
        ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
    };

    private static JsonObject Subscription(DeploymentScope scope) => new()
    {
        ["id"] = SubscriptionScopeId(scope.SubscriptionId),
        ["subscriptionId"] = scope.SubscriptionId,
        ["tenantId"] = scope.TenantId,
        ["displayName"] = scope.SubscriptionId,
    };

    /// <summary>templateLink is only there when the template was deployed from a URI, as in ARM.</summary>
    private static JsonObject Deployment(IExpressionContext context)
    {
        var contentVersion = Values.Property(context.Template, "contentVersion")?.DeepClone();
        var properties = new JsonObject
        {
            ["template"] = new JsonObject { ["contentVersion"] = contentVersion },
            ["mode"] = "Incremental",
            ["provisioningState"] = "Accepted",
        };
        if (context.Options.TemplateLink is { } link)
            properties["templateLink"] = new JsonObject { ["uri"] = link.ToString(), ["contentVersion"] = contentVersion?.DeepClone() };
        return new JsonObject { ["name"] = context.Scope.DeploymentName, ["properties"] = properties };
    }
}
