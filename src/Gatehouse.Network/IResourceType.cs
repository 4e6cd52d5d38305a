using System.Text.Json.Nodes;

namespace Gatehouse.Network;

/// <summary>
/// One ARM resource type: how a deployed body becomes what is stored (canonical names, defaults, the read-only values
/// the provider computes, validation), and how a GET shows it. Each type lives in the folder of its ARM namespace
/// (<c>Microsoft.Network/ApplicationGateways/</c>) and is listed once in <see cref="ResourceTypes"/>; the deployment
/// engine and the REST API reach it through <see cref="NetworkProvider"/>.
/// </summary>
public interface IResourceType
{
    /// <summary>The ARM type, such as <c>Microsoft.Network/applicationGateways</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The resource as it will be stored. <paramref name="lookup"/> finds a stored resource by id (the previous version
    /// of this one included). Throws <see cref="Gatehouse.Errors.ArmException"/> with every problem found.
    /// </summary>
    ProvisionedResource Provision(ResourceInput input, Func<string, ProvisionedResource?> lookup);

    /// <summary>Properties a client writes and a GET never returns, in <see cref="WriteOnlyPaths"/>' syntax.</summary>
    IReadOnlyList<string> WriteOnly { get; }

    /// <summary>The resource as a GET returns it at <paramref name="apiVersion"/>: never with a write-only secret.</summary>
    JsonObject Render(ProvisionedResource resource, ApiVersion apiVersion);
}
