using System.Text.Json.Nodes;

namespace Gatehouse.Arm.Expressions;

/// <summary>What the template around an expression provides to the deployment and resource functions.</summary>
internal interface IExpressionContext
{
    DeploymentScope Scope { get; }

    ExpansionOptions Options { get; }

    JsonObject Template { get; }

    /// <summary>True while a parameter's defaultValue is evaluated: the only place utcNow() and newGuid() may appear.</summary>
    bool InParameterDefault { get; }

    JsonNode? Parameter(string name);

    JsonNode? Variable(string name);

    /// <summary>The current iteration of the named copy loop, or of the innermost resource, variable or output loop when <paramref name="loopName"/> is null.</summary>
    long CopyIndex(string? loopName);

    /// <summary>Evaluates <paramref name="evaluate"/> as iteration <paramref name="index"/> of a copy loop; property loops are only found by name.</summary>
    T InCopy<T>(string loopName, long index, bool isPropertyLoop, Func<T> evaluate);

    /// <summary>
    /// The state of a resource named by id, name or symbolic name: its properties, or with <paramref name="full"/> the
    /// whole resource (id, name, type, location, properties, ...).
    /// </summary>
    JsonObject Reference(string resource, bool full);

    /// <summary>What the list* function <paramref name="function"/> returns for a resource named as reference() names it.</summary>
    JsonNode? List(string function, string resource, string apiVersion, JsonNode? body);

    /// <summary>
    /// Records that the value at <paramref name="path"/> keeps its expression text because it reads what is known only
    /// after deployment; false where no such value may stand (anywhere but a resource body or an output value).
    /// </summary>
    bool TryDefer(string path);

    /// <summary>
    /// Records that the resource being planned depends on <paramref name="resource"/> (named as reference() names it),
    /// read in a value deferred to deployment time; nothing when the name is not a resource of the deployment.
    /// </summary>
    void DependOn(string resource);

    /// <summary>
    /// Counts <paramref name="size"/> (as <see cref="Values.Measure"/> counts it) against what the whole deployment may
    /// compute, <see cref="TemplateLimits.MaxExpansionSize"/>; past it, the expansion stops with ARM's job size error.
    /// </summary>
    void Charge(long size);
}
