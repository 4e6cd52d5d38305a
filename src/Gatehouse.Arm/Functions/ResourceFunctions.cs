using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Functions;

/// <summary>resourceId, subscriptionResourceId and tenantResourceId.</summary>
internal static class ResourceFunctions
{
    public static IEnumerable<ArmFunction> All { get; } =
    [
        ArmFunction.Variadic("resourceId", 2, args => ResourceId(args, scopeArguments: 2, (scope, given) => given.Count switch
        {
            0 => DeploymentFunctions.ResourceGroupId(scope),
            1 => $"{DeploymentFunctions.SubscriptionScopeId(scope.SubscriptionId)}/resourceGroups/{given[0]}",
            _ => $"{DeploymentFunctions.SubscriptionScopeId(given[0])}/resourceGroups/{given[1]}",
        })),
        ArmFunction.Variadic("subscriptionResourceId", 2, args => ResourceId(args, scopeArguments: 1,
            (scope, given) => DeploymentFunctions.SubscriptionScopeId(given.Count == 0 ? scope.SubscriptionId : given[0]))),
        ArmFunction.Variadic("tenantResourceId", 2, args => ResourceId(args, scopeArguments: 0, (_, _) => "")),
    ];

    /// <summary>
    /// The resource type is the first argument containing '/'; up to <paramref name="scopeArguments"/> arguments before it
    /// name the scope (subscription id, resource group), every argument after it is one resource name.
    /// </summary>
    private static JsonNode ResourceId(FunctionArguments args, int scopeArguments, Func<DeploymentScope, IReadOnlyList<string>, string> scopeId)
    {
        var strings = Enumerable.Range(0, args.Count).Select(args.String).ToList();
        var typeAt = strings.FindIndex(s => s.Contains('/'));
        if (typeAt < 0 || typeAt > scopeArguments)
            throw args.Error($"expected a fully qualified resource type such as 'Microsoft.Network/virtualNetworks' within the first {scopeArguments + 1} argument(s).");
        var type = strings[typeAt];
        var names = strings[(typeAt + 1)..];
        return ResourceIds.TryBuild(scopeId(args.Context.Scope, strings[..typeAt]), type, names)
            ?? throw args.Error($"the resource type '{type}' needs {type.TrimEnd('/').Split('/').Length - 1} resource name(s) but {names.Count} were provided.");
    }
}
