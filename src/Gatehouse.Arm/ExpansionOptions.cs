using System.Text.Json.Nodes;

namespace Gatehouse.Arm;

/// <summary>What a deployment knows beyond the template and its parameters. Every member is optional.</summary>
public sealed record ExpansionOptions
{
    /// <summary>
    /// The time of the deployment, for utcNow() in parameter defaults. Arm never reads the clock itself: when this is
    /// null, utcNow() is an error.
    /// </summary>
    public DateTimeOffset? UtcNow { get; init; }

    /// <summary>The template's URI when it is deployed from a link: deployment().properties.templateLink.uri.</summary>
    public Uri? TemplateLink { get; init; }

    /// <summary>
    /// The deployed state of a resource by id, in the shape a GET returns it (<c>id, name, type, location,
    /// properties, ...</c>), or null when it is not known. reference() lays it over what this deployment declares for
    /// the resource, which lets the caller add properties only a provider sets (resourceGuid, principalId, ...);
    /// reference() to a resource outside the deployment, or declared <c>existing</c>, uses it alone.
    /// </summary>
    public Func<string, JsonObject?>? ResolveResource { get; init; }

    public static ExpansionOptions None { get; } = new();
}
