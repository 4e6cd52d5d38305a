using System.Text.Json.Nodes;
using Gatehouse.Network.Json;

namespace Gatehouse.Network;

/// <summary>
/// A resource type kept as declared, in canonical casing, inside ARM's read-only envelope (name, id, etag, type,
/// provisioningState, resourceGuid). The types deployed beside gateways use it with what makes them theirs: child
/// collections, write-only secrets, and the read-only values Azure computes.
/// </summary>
internal sealed record DeclaredResourceType(string Name) : IResourceType
{
    /// <summary>Child collections whose elements get ids, etags and provisioning states like a gateway's sub-resources. Default: none.</summary>
    public IReadOnlyList<string> ChildCollections { get; init; } = [];

    /// <summary>Properties a client writes and a GET never returns, in <see cref="WriteOnlyPaths"/>' syntax. Default: none.</summary>
    public IReadOnlyList<string> WriteOnly { get; init; } = [];

    /// <summary>
    /// Values Gatehouse keeps in the stored body that Azure shows elsewhere (a scale set's instance addresses): stored,
    /// never rendered. Same syntax as <see cref="WriteOnly"/>. Default: none.
    /// </summary>
    public IReadOnlyList<string> LocalOnly { get; init; } = [];

    /// <summary>
    /// Sets the read-only values of a body about to be stored, given the stored body of its previous version (empty for
    /// a new resource), so that values Azure keeps across redeploys are kept, and the resources around it. Default: nothing computed.
    /// </summary>
    public Action<JsonObject, ProvisionContext>? Compute { get; init; }

    /// <summary>The resource is an identity of the directory it is deployed in: its <c>properties.tenantId</c> is that directory's.</summary>
    public bool InDirectory { get; init; }

    public ProvisionedResource Provision(ResourceInput input, Func<string, ProvisionedResource?> lookup)
    {
        var canonical = Canonicalizer.CanonicalizeResource(input, enumerations: false);
        var etag = $"W/\"{Guid.NewGuid()}\"";
        var previous = lookup(input.Id)?.Body ?? [];
        var properties = new JsonObject
        {
            ["provisioningState"] = "Succeeded",
            ["resourceGuid"] = previous.Properties().String("resourceGuid") ?? Guid.NewGuid().ToString(),
        };
        foreach (var (name, value) in canonical.Properties())
        {
            if (name is "provisioningState" or "resourceGuid") continue;
            // The specification we generate names from does not cover every type, so children match in any casing.
            if (ChildCollections.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } child)
                properties[child] = SubResources.Shape(input.Id, child, value as JsonArray, etag, $"properties.{child}", $"{Name}/{child}");
            else
                properties[name] = value?.DeepClone();
        }

        var body = new JsonObject { ["name"] = input.Name, ["id"] = input.Id, ["etag"] = etag, ["type"] = input.Type };
        foreach (var (name, value) in canonical)
            if (name is not ("name" or "id" or "etag" or "type" or "properties"))
                body[name] = value?.DeepClone();
        body["properties"] = properties;
        SystemAssignedIdentity(body, previous, input.TenantId);
        if (InDirectory && input.TenantId is { } tenant) properties["tenantId"] = tenant;
        Compute?.Invoke(body, new ProvisionContext(previous, lookup, input.OfType));
        return new ProvisionedResource(input.Id, input.Type, input.Name, input.ApiVersion, body);
    }

    /// <summary>A value Azure generates once for a resource (a principal id, an instrumentation key): the stored one, or a new one.</summary>
    public static string Generated(JsonObject previousOwner, string property) => previousOwner.String(property) ?? Guid.NewGuid().ToString();

    /// <summary>A computation that sets <paramref name="property"/> to the resource's lower-case name (a child's own name) in <paramref name="format"/> ({0}), as Azure names a service's host.</summary>
    public static Action<JsonObject, ProvisionContext> NamedHost(string property, string format) =>
        (body, _) => body.Properties()[property] = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, body.String("name")?.Split('/')[^1].ToLowerInvariant());

    /// <summary>A region as Azure writes it in host names: its short name ('Central US' is centralus).</summary>
    public static string? RegionName(JsonObject body) => body.String("location")?.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>A system-assigned identity (<c>identity.type</c> SystemAssigned, alone or with UserAssigned) gets its principal once.</summary>
    private static void SystemAssignedIdentity(JsonObject body, JsonObject previous, string? tenantId)
    {
        if (body.Object("identity") is not { } identity || identity.String("type")?.Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase) != true) return;
        identity["principalId"] = Generated(previous.Object("identity") ?? [], "principalId");
        if (tenantId is not null) identity["tenantId"] = tenantId;
    }

    public JsonObject Render(ProvisionedResource resource, ApiVersion apiVersion)
    {
        var body = (JsonObject)resource.Body.DeepClone();
        WriteOnlyPaths.Remove(body, [.. WriteOnly, .. LocalOnly]);
        return body;
    }
}

/// <summary>What a computation of read-only values sees besides the body.</summary>
/// <param name="Previous">The stored body of the resource's previous version; empty for a new resource.</param>
/// <param name="Lookup">A resource by id, as it stands when this one is provisioned.</param>
/// <param name="OfType">Every resource of a type, as it stands when this one is provisioned (see <see cref="ResourceInput.OfType"/>).</param>
internal sealed record ProvisionContext(JsonObject Previous, Func<string, ProvisionedResource?> Lookup, Func<string, IReadOnlyList<ProvisionedResource>> OfType);
