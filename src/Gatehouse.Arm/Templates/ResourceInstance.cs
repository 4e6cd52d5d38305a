using System.Text.Json.Nodes;

namespace Gatehouse.Arm.Templates;

/// <summary>A dependsOn value as evaluated, with its template path for errors.</summary>
internal sealed record DependsOnEntry(string Reference, string Path);

/// <summary>
/// One instance of a template resource (a resource with a copy loop has several). Instances whose condition is false
/// are kept, undeployed, so that dependsOn entries naming them still resolve. The body is evaluated on first use, so
/// that reference() may point at a resource declared later; an inline nested deployment has <see cref="Members"/>,
/// the resources of its template, and is not deployed itself.
/// </summary>
internal sealed class ResourceInstance(string path, string id, string type, string name, bool deployed, bool existing, Func<JsonObject> evaluateBody)
{
    private JsonObject? _body;

    public string Path { get; } = path;
    public string Id { get; } = id;
    public string Type { get; } = type;
    public string Name { get; } = name;
    public bool Deployed { get; } = deployed;

    /// <summary>Declared with <c>existing: true</c> (languageVersion 2.0): referenced, never deployed.</summary>
    public bool Existing { get; } = existing;

    public string ApiVersion { get; init; } = "";

    /// <summary>The copy loop's name and this instance's index in it, or nulls.</summary>
    public string? CopyName { get; init; }
    public long? CopyIndex { get; init; }

    /// <summary>The symbolic name of a languageVersion 2.0 resource.</summary>
    public string? SymbolicName { get; init; }

    public List<DependsOnEntry> DependsOn { get; init; } = [];

    public IReadOnlyList<ResourceInstance>? Members { get; set; }

    /// <summary>
    /// A nested deployment in its own scope whose parameters are known only at deployment time: it is planned and run as
    /// a deployment of its own, from <see cref="Declaration"/>, when its turn comes.
    /// </summary>
    public bool RunsAtItsTurn { get; init; }

    /// <summary>The resource as the template declares it.</summary>
    public JsonObject? Declaration { get; init; }

    public bool IsEvaluating { get; private set; }

    public bool IsEvaluated => _body is not null;

    public JsonObject Body
    {
        get
        {
            if (_body is not null) return _body;
            IsEvaluating = true;
            try
            {
                return _body = evaluateBody();
            }
            finally
            {
                IsEvaluating = false;
            }
        }
    }

    /// <summary>Forgets the evaluated body, to evaluate it again against what deploying has given since.</summary>
    public void Reset() => _body = null;

    /// <summary>
    /// A dependsOn or reference() value names this instance by its resource id, 'Type/name', the id's provider-relative
    /// part, its bare name, its copy loop, or in languageVersion 2.0 its symbolic name, alone or as <c>name[index]</c>.
    /// </summary>
    public bool IsNamedBy(string reference)
    {
        var providers = Id.LastIndexOf("/providers/", StringComparison.OrdinalIgnoreCase);
        var providerRelative = providers < 0 ? Id : Id[(providers + "/providers/".Length)..];
        string?[] forms =
        [
            Id, $"{Type}/{Name}", providerRelative, Name, CopyName, SymbolicName,
            SymbolicName is not null && CopyIndex is { } index ? $"{SymbolicName}[{index}]" : null,
        ];
        return forms.Any(form => string.Equals(form, reference, StringComparison.OrdinalIgnoreCase));
    }
}
