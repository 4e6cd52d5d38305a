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
    /// The state of a resource by id as it is before this deployment, in the shape a GET returns it (<c>id, name, type,
    /// location, properties, ...</c>), or null when it is not known: what reference() sees of a resource outside the
    /// deployment, or declared <c>existing</c>. A resource of the deployment is read at deployment time instead (see
    /// <see cref="TemplateDeployment.Run"/>); <see cref="TemplateExpander.Expand"/> adds this state to what it declares.
    /// </summary>
    public Func<string, JsonObject?>? ResolveResource { get; init; }

    /// <summary>
    /// What a list* function (listKeys, listSecrets, ...) returns for a resource of the deployment or a known existing
    /// one, or null when the provider of its type does not offer that function. Without it, every list* call is an error.
    /// </summary>
    public Func<ListCall, JsonNode?>? ListResource { get; init; }

    /// <summary>
    /// The JSON document at a <c>templateLink</c> or <c>parametersLink</c> URI; throws <see cref="TemplateLinkException"/>
    /// saying why when it cannot be read. With it, a linked deployment expands as an inline one in its own scope.
    /// Null when the document is not at hand yet: that deployment then stays unexpanded, as without a resolver, and
    /// expansion goes on, so that a caller can learn every link the template names, fetch them (Arm does no I/O), and
    /// expand again with them.
    /// </summary>
    public Func<Uri, JsonObject?>? ResolveTemplateLink { get; init; }

    /// <summary>
    /// Without <see cref="ResolveTemplateLink"/>, a property or output that reads a linked deployment's outputs keeps its
    /// expression text, as Azure's what-if shows values known only after deployment, instead of failing the expansion;
    /// <see cref="ExpandedTemplate.DeferredPaths"/> names each one. Never for a deployment that provisions what it expands.
    /// </summary>
    public bool DeferLinkedOutputs { get; init; }

    /// <summary>
    /// The value of a parameter given as a Key Vault reference in the parameters
    /// (<c>{"reference": {"keyVault": {"id"}, "secretName", "secretVersion"?}}</c>); throws <see cref="Gatehouse.Errors.ArmException"/>
    /// with ARM's error when the vault or secret cannot be read. Without it, such a parameter is an error.
    /// </summary>
    public Func<KeyVaultParameterReference, string>? ResolveKeyVaultReference { get; init; }

    public static ExpansionOptions None { get; } = new();
}

/// <summary>A parameter's Key Vault reference: the vault's resource id, the secret's name and, optionally, its version.</summary>
public sealed record KeyVaultParameterReference(string Parameter, string VaultId, string SecretName, string? SecretVersion);
