using System.Text.Json.Nodes;
using Gatehouse.Errors;
using Gatehouse.Network.ApplicationGateways;
using Gatehouse.Network.Json;
using Gatehouse.Network.WebApplicationFirewallPolicies;

namespace Gatehouse.Network;

/// <summary>
/// The Microsoft.Network resource provider: normalizes and validates resources as they are deployed, and renders
/// them as a GET returns them. Pure: no I/O.
/// </summary>
public static class NetworkProvider
{
    public const string ApplicationGatewayType = ApplicationGatewayProvisioner.ResourceType;
    public const string WafPolicyType = "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies";

    /// <summary>
    /// The resource as it will be stored. Throws <see cref="ArmException"/> with every problem found: one problem as
    /// itself, several in the details of one error, each with the path of its property as target.
    /// </summary>
    public static ProvisionedResource Provision(ResourceInput input, Func<string, ProvisionedResource?> lookup)
    {
        // A document whose names or enumeration values cannot be read is not checked further: every later check would guess.
        var errors = new ArmErrorList();
        var canonical = Canonicalizer.Canonicalize(input.Body, "", enumerations: IsApplicationGateway(input.Type), errors);
        errors.ThrowIfAny(problems => ArmErrors.ResourceValidationFailed(input.Id, problems));
        if (IsApplicationGateway(input.Type)) return ApplicationGatewayProvisioner.Provision(input, canonical, lookup);
        if (IsWafPolicy(input.Type))
        {
            WafPolicyReader.ReadPolicy(input.Id, canonical, errors);
            errors.ThrowIfAny(problems => ArmErrors.ResourceValidationFailed(input.Id, problems));
            // Stored under one spelling, so that the data plane finds every policy by its type.
            input = input with { Type = WafPolicyType };
        }
        return ProvisionGeneric(input, canonical, lookup);
    }

    /// <summary>The resource as a GET returns it at <paramref name="apiVersion"/>: without its <see cref="WriteOnlyProperties"/>.</summary>
    public static JsonObject Render(ProvisionedResource resource, string apiVersion)
    {
        if (IsApplicationGateway(resource.Type)) return ApplicationGatewayRenderer.Render(resource.Body, new ApiVersion(apiVersion));
        var body = (JsonObject)resource.Body.DeepClone();
        WriteOnlyProperties.Remove(resource.Type, body);
        return body;
    }

    public static ApplicationGateway ReadApplicationGateway(ProvisionedResource resource) =>
        ApplicationGatewayReader.Read(resource.Id, resource.Body);

    /// <summary>A stored WAF policy (it passed <see cref="Provision"/>'s checks) as the data plane runs it.</summary>
    public static WafPolicy ReadWafPolicy(ProvisionedResource resource) => WafPolicyReader.ReadPolicy(resource.Id, resource.Body, new ArmErrorList());

    public static bool IsWafPolicy(string type) => type.Equals(WafPolicyType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The types the data plane serves from: gateways, and the WAF policies they name.</summary>
    public static bool IsServed(string type) => IsApplicationGateway(type) || IsWafPolicy(type);

    public static bool IsApplicationGateway(string type) =>
        type.Equals(ApplicationGatewayProvisioner.ResourceType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Any other resource type: kept as given, in canonical casing, with ARM's read-only envelope and <see cref="LightModels"/>' derived values.</summary>
    private static ProvisionedResource ProvisionGeneric(ResourceInput input, JsonObject canonical, Func<string, ProvisionedResource?> lookup)
    {
        var etag = $"W/\"{Guid.NewGuid()}\"";
        var previous = lookup(input.Id)?.Body ?? [];
        var previousGuid = previous.Properties().String("resourceGuid");
        var children = LightModels.ChildCollections.GetValueOrDefault(input.Type, []);
        var properties = new JsonObject { ["provisioningState"] = "Succeeded", ["resourceGuid"] = previousGuid ?? Guid.NewGuid().ToString() };
        foreach (var (name, value) in canonical.Properties())
        {
            if (name is "provisioningState" or "resourceGuid") continue;
            // The specification we generate names from does not cover every light model, so children match in any casing.
            if (children.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } child)
                properties[child] = SubResources.Shape(input.Id, child, value as JsonArray, etag, $"properties.{child}", $"{input.Type}/{child}");
            else
                properties[name] = value?.DeepClone();
        }

        var body = new JsonObject { ["name"] = input.Name, ["id"] = input.Id, ["etag"] = etag, ["type"] = input.Type };
        foreach (var (name, value) in canonical)
            if (name is not ("name" or "id" or "etag" or "type" or "properties"))
                body[name] = value?.DeepClone();
        body["properties"] = properties;
        LightModels.Derive(input.Type, body, previous);
        return new ProvisionedResource(input.Id, input.Type, input.Name, input.ApiVersion, body);
    }
}
