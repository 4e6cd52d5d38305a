using System.Text.Json.Nodes;

namespace Gatehouse.Arm;

/// <summary>
/// A template with every expression evaluated. <see cref="Resources"/> are ordered so each comes after what it
/// depends on, otherwise in template order; <see cref="Outputs"/> maps each output name to <c>{ type, value }</c>.
/// <see cref="DeferredPaths"/> are the template paths whose value kept its expression text because it reads a linked
/// deployment's outputs (only with <see cref="ExpansionOptions.DeferLinkedOutputs"/>); such a template cannot be provisioned.
/// Made by <see cref="TemplateExpander.Expand"/>, which deploys each resource as declared.
/// </summary>
public sealed record ExpandedTemplate(
    IReadOnlyList<ExpandedResource> Resources, JsonObject Outputs, IReadOnlyList<BoundParameter> Parameters, IReadOnlyList<string> DeferredPaths);

/// <summary>A template parameter with the value it was deployed with; <see cref="Type"/> is canonical lower-camel (string, int, bool, object, array, securestring, secureObject).</summary>
public sealed record BoundParameter(string Name, string Type, JsonNode? Value, bool IsSecure);

/// <summary>
/// One resource to deploy. <see cref="Body"/> holds every template key except type, name, apiVersion, dependsOn,
/// condition, copy and comments, evaluated and in template casing; <see cref="DependsOn"/> holds resolved resource ids.
/// </summary>
public sealed record ExpandedResource(string Id, string Type, string Name, string ApiVersion, JsonObject Body, IReadOnlyList<string> DependsOn);
