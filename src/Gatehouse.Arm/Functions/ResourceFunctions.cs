using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Functions;

/// <summary>resourceId and its scoped variants, reference, and the list* functions, which ask the resource provider.</summary>
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
        ArmFunction.Variadic("extensionResourceId", 3, args => ResourceId(args, scopeArguments: 1, (_, given) => given.Count == 1 ? given[0] : "", requireScope: true)),
        ArmFunction.Variadic("managementGroupResourceId", 2, args => ResourceId(args, scopeArguments: 1,
            (scope, given) => $"/providers/Microsoft.Management/managementGroups/{(given.Count == 0 ? scope.TenantId : given[0])}")),
        new("reference", 1, 3, Reference),
        new("pickZones", 3, 5, PickZones),
    ];

    /// <summary>
    /// Resource types that Azure offers in availability zones, in the regions that have zones. Arm cannot ask Azure, so
    /// this is the documented list of zonal regions with the zonal services a gateway deployment uses.
    /// </summary>
    private static readonly HashSet<string> ZonalNamespaces = new(["Microsoft.Compute", "Microsoft.Network", "Microsoft.Storage", "Microsoft.Sql", "Microsoft.ContainerService", "Microsoft.KeyVault"], StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> ZonalRegions = new(
    [
        "australiaeast", "brazilsouth", "canadacentral", "centralindia", "centralus", "eastasia", "eastus", "eastus2", "francecentral", "germanywestcentral",
        "israelcentral", "italynorth", "japaneast", "koreacentral", "mexicocentral", "newzealandnorth", "northeurope", "norwayeast", "polandcentral", "qatarcentral",
        "southafricanorth", "southcentralus", "southeastasia", "spaincentral", "swedencentral", "switzerlandnorth", "uaenorth", "uksouth", "westeurope", "westus2", "westus3",
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>pickZones(namespace, type, location, [numberOfZones = 1], [offset = 0]): zones '1' to '3', or [] where there are none.</summary>
    private static JsonNode PickZones(FunctionArguments args)
    {
        var zonal = ZonalNamespaces.Contains(args.String(0)) && ZonalRegions.Contains(args.String(2).Replace(" ", "", StringComparison.Ordinal));
        var count = args.Count > 3 ? args.Integer(3) : 1;
        var offset = args.Count > 4 ? args.Integer(4) : 0;
        if (count < 1 || offset < 0) throw args.Error("the number of zones must be positive and the offset not negative.");
        return new JsonArray(zonal ? Enumerable.Range(0, (int)Math.Min(count, 3)).Select(i => (JsonNode?)$"{(offset + i) % 3 + 1}").ToArray() : []);
    }

    /// <summary>
    /// listKeys, listSecrets, listAccountSas, ...: any function whose name starts with "list", as
    /// <c>list*(resource, apiVersion, [body])</c>; the resource provider answers through <see cref="ExpansionOptions.ListResource"/>.
    /// </summary>
    public static ArmFunction List(string name) => new(name, 2, 3, args =>
        args.Context.List(args.Function, args.String(0), args.String(1), args.Count > 2 ? args[2]?.DeepClone() : null));

    /// <summary>reference(resource), reference(resource, apiVersion), reference(resource, apiVersion, 'Full').</summary>
    private static JsonNode Reference(FunctionArguments args)
    {
        var full = args.Count == 3 && string.Equals(args.String(2), "Full", StringComparison.OrdinalIgnoreCase);
        if (args.Count == 3 && !full) throw args.Error($"the third argument must be 'Full', not '{args.String(2)}'.");
        return args.Context.Reference(args.String(0), full);
    }

    /// <summary>
    /// The resource type is the first argument containing '/' (or, with <paramref name="requireScope"/>, the argument after the scope); up to <paramref name="scopeArguments"/> arguments before it
    /// name the scope (subscription id, resource group), every argument after it is one resource name.
    /// </summary>
    private static JsonNode ResourceId(FunctionArguments args, int scopeArguments, Func<DeploymentScope, IReadOnlyList<string>, string> scopeId, bool requireScope = false)
    {
        var strings = Enumerable.Range(0, args.Count).Select(args.String).ToList();
        // A scope argument may itself be a resource id (extensionResourceId), so the type is looked for after the scope arguments.
        var typeAt = requireScope ? scopeArguments : strings.FindIndex(s => s.Contains('/'));
        if (typeAt < 0 || typeAt > scopeArguments || !strings[typeAt].Contains('/'))
            throw args.Error($"expected a fully qualified resource type such as 'Microsoft.Network/virtualNetworks' within the first {scopeArguments + 1} argument(s).");
        var type = strings[typeAt];
        var names = strings[(typeAt + 1)..];
        return ResourceIds.TryBuild(scopeId(args.Context.Scope, strings[..typeAt]), type, names)
            ?? throw args.Error($"the resource type '{type}' needs {type.TrimEnd('/').Split('/').Length - 1} resource name(s) but {names.Count} were provided.");
    }
}
