using System.Text.Json.Nodes;

namespace Gatehouse.Network;

/// <summary>A resource as a template or a PUT gives it: <see cref="Body"/> holds location, sku, tags, properties... in any casing.</summary>
public sealed record ResourceInput(string Id, string Type, string Name, string ApiVersion, JsonObject Body)
{
    /// <summary>The directory the resource is deployed in, which its identities belong to (their tenantId); null when not known.</summary>
    public string? TenantId { get; init; }

    /// <summary>
    /// Every resource of a type as it stands when this one is provisioned: stored, or provisioned before it by the same
    /// deployment. What an allocation (a private address in a subnet) must not hand out again. Default: none.
    /// </summary>
    public Func<string, IReadOnlyList<ProvisionedResource>> OfType { get; init; } = _ => [];
}

/// <summary>
/// A resource as the provider keeps it: canonical camelCase, every sub-resource with its id, etag and
/// provisioning state, secrets included (the store encrypts them; <see cref="NetworkProvider.Render"/> leaves them out).
/// </summary>
public sealed record ProvisionedResource(string Id, string Type, string Name, string ApiVersion, JsonObject Body);
