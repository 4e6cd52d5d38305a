using System.Text.Json.Nodes;

namespace Gatehouse.Arm.Expressions;

/// <summary>What the template around an expression provides to the deployment functions.</summary>
internal interface IExpressionContext
{
    DeploymentScope Scope { get; }

    JsonObject Template { get; }

    JsonNode? Parameter(string name);

    JsonNode? Variable(string name);

    /// <summary>The current iteration of the named copy loop, or of the innermost one when <paramref name="loopName"/> is null.</summary>
    long CopyIndex(string? loopName);
}
