using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.Json;

namespace Gatehouse.Network.ApplicationGatewayWebApplicationFirewallPolicies;

/// <summary>
/// <c>Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies</c>: checked through the typed
/// <see cref="WafPolicy"/> (every problem at once, nothing that cannot run accepted), stored as declared under one
/// spelling of its type, so that the data plane finds every policy by it.
/// </summary>
internal sealed class WafPolicyResourceType : IResourceType
{
    public const string TypeName = "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies";

    public static readonly WafPolicyResourceType Instance = new();

    private static readonly DeclaredResourceType Stored = new(TypeName);

    private WafPolicyResourceType() { }

    public string Name => TypeName;

    public IReadOnlyList<string> WriteOnly => Stored.WriteOnly;

    public ProvisionedResource Provision(ResourceInput input, Func<string, ProvisionedResource?> lookup)
    {
        var errors = new ArmErrorList();
        WafPolicyReader.ReadPolicy(input.Id, Canonicalizer.CanonicalizeResource(input, enumerations: false), errors);
        errors.ThrowIfAny(problems => ArmErrors.ResourceValidationFailed(input.Id, problems));
        return Stored.Provision(input with { Type = TypeName }, lookup);
    }

    public JsonObject Render(ProvisionedResource resource, ApiVersion apiVersion) => Stored.Render(resource, apiVersion);
}
