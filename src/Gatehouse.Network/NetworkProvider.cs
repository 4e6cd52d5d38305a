using System.Text.Json.Nodes;
using Gatehouse.Network.ApplicationGateways;
using Gatehouse.Errors;
using Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;
using Gatehouse.Network.Vaults;

namespace Gatehouse.Network;

/// <summary>
/// The resource providers as the deployment engine and the REST API call them: each call goes to the
/// <see cref="IResourceType"/> of the resource's type. Pure: no I/O.
/// </summary>
public static class NetworkProvider
{
    public const string ApplicationGatewayType = ApplicationGatewayResourceType.TypeName;
    public const string WafPolicyType = WafPolicyResourceType.TypeName;

    /// <summary>
    /// The resource as it will be stored. Throws <see cref="Gatehouse.Errors.ArmException"/> with every problem found: one
    /// problem as itself, several in the details of one error, each with the path of its property as target.
    /// </summary>
    public static ProvisionedResource Provision(ResourceInput input, Func<string, ProvisionedResource?> lookup) =>
        ResourceTypes.For(input.Type).Provision(input, lookup);

    /// <summary>The resource as a GET returns it at <paramref name="apiVersion"/>.</summary>
    public static JsonObject Render(ProvisionedResource resource, string apiVersion) =>
        ResourceTypes.For(resource.Type).Render(resource, new ApiVersion(apiVersion));

    /// <summary>A body as a template declares it, without its type's write-only properties: what-if's view of a resource not provisioned yet.</summary>
    public static JsonObject RenderDeclared(string type, JsonObject body)
    {
        var shown = (JsonObject)body.DeepClone();
        WriteOnlyPaths.Remove(shown, ResourceTypes.For(type).WriteOnly);
        return shown;
    }

    public static ApplicationGateway ReadApplicationGateway(ProvisionedResource resource) =>
        ApplicationGatewayReader.Read(resource.Id, resource.Body);

    /// <summary>A getBackendHealthOnDemand body for this gateway; throws <see cref="ArmException"/> naming what is wrong with it.</summary>
    public static OnDemandProbe ReadOnDemandProbe(ApplicationGateway gateway, JsonObject body) => OnDemandProbe.Read(gateway, body);

    /// <summary>
    /// The gateways among <paramref name="served"/> as the data plane runs them: each backend pool with the addresses of
    /// the network interfaces and scale set instances among <paramref name="served"/> that name it, each public frontend
    /// with the address of its public IP among them.
    /// </summary>
    public static IReadOnlyList<ApplicationGateway> ReadApplicationGateways(IReadOnlyList<ProvisionedResource> served) =>
        [.. BackendIPConfigurations.Read(served)];

    /// <summary>The gateway stopped or started (the start and stop actions): the same resource with a new operationalState and etag.</summary>
    public static ProvisionedResource WithOperationalState(ProvisionedResource gateway, GatewayOperationalState state) =>
        ApplicationGatewayProvisioner.WithOperationalState(gateway, state);

    /// <summary>A stored WAF policy (it passed <see cref="Provision"/>'s checks) as the data plane runs it.</summary>
    public static WafPolicy ReadWafPolicy(ProvisionedResource resource) => WafPolicyReader.ReadPolicy(resource.Id, resource.Body, new ArmErrorList());

    public static bool IsWafPolicy(string type) => type.Equals(WafPolicyType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The types the data plane serves from: gateways, the WAF policies they name, what joins their pools, their public
    /// IPs, and the Key Vault they read certificates from.
    /// </summary>
    public static IReadOnlyList<string> ServedTypes { get; } = [ApplicationGatewayType, WafPolicyType, .. BackendIPConfigurations.NeighbourTypes, .. KeyVaultSecrets.Types];

    public static bool IsServed(string type) => ServedTypes.Contains(type, StringComparer.OrdinalIgnoreCase);

    /// <summary>Vaults, secrets, identities and role assignments: what gateways read their Key Vault certificates through.</summary>
    public static bool IsKeyVault(string type) => KeyVaultSecrets.Holds(type);

    public static bool IsApplicationGateway(string type) =>
        type.Equals(ApplicationGatewayType, StringComparison.OrdinalIgnoreCase);
}
