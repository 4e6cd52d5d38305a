using System.Text.Json.Nodes;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Network;

/// <summary>
/// The resource providers as the deployment engine and the REST API call them: each call goes to the
/// <see cref="IResourceType"/> of the resource's type. Pure: no I/O.
/// </summary>
public static class NetworkProvider
{
    public const string ApplicationGatewayType = ApplicationGatewayResourceType.TypeName;

    /// <summary>
    /// The resource as it will be stored. Throws <see cref="Gatehouse.Errors.ArmException"/> with every problem found: one
    /// problem as itself, several in the details of one error, each with the path of its property as target.
    /// </summary>
    public static ProvisionedResource Provision(ResourceInput input, Func<string, ProvisionedResource?> lookup) =>
        ResourceTypes.For(input.Type).Provision(input, lookup);

    /// <summary>The resource as a GET returns it at <paramref name="apiVersion"/>.</summary>
    public static JsonObject Render(ProvisionedResource resource, string apiVersion) =>
        ResourceTypes.For(resource.Type).Render(resource, new ApiVersion(apiVersion));

    public static ApplicationGateway ReadApplicationGateway(ProvisionedResource resource) =>
        ApplicationGatewayReader.Read(resource.Id, resource.Body);

    public static bool IsApplicationGateway(string type) =>
        type.Equals(ApplicationGatewayType, StringComparison.OrdinalIgnoreCase);
}
