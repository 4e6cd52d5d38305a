namespace Gatehouse.Arm;

/// <summary>
/// ARM's documented template limits (aka.ms/arm-template-limits), and the bounds Gatehouse adds where ARM's limits
/// alone would let a template exhaust the stack or the memory of the process that expands it.
/// </summary>
public static class TemplateLimits
{
    /// <summary>The template as sent; ARM answers <c>RequestContentTooLarge</c> for a request body over it.</summary>
    public const int MaxTemplateBytes = 4 * 1024 * 1024;

    public const int MaxParameterFileBytes = 4 * 1024 * 1024;

    public const int MaxParameters = 256;

    public const int MaxVariables = 256;

    /// <summary>Resources of the whole deployment after copy expansion, nested and linked templates' included.</summary>
    public const int MaxResources = 800;

    public const int MaxOutputs = 64;

    /// <summary>Characters in one <c>"[...]"</c> template string.</summary>
    public const int MaxExpressionLength = 24_576;

    public const int MaxCopyCount = 800;

    /// <summary>Nested deployments (inline or linked) inside each other.</summary>
    public const int MaxNestedDeploymentDepth = 50;

    /// <summary>
    /// Function calls nested in one expression. ARM documents no such limit; 256 is far past what a person or Bicep
    /// writes, and keeps a long <c>concat(concat(...</c> chain from needing an unbounded stack.
    /// </summary>
    public const int MaxExpressionDepth = 256;

    /// <summary>
    /// The size of any one value an expression computes (its compact JSON length). A value larger than the largest
    /// template ARM accepts cannot be part of a deployment ARM accepts; refusing it there stops a doubling string or
    /// array at 4 MB instead of at the end of the memory.
    /// </summary>
    public const int MaxValueSize = 4 * 1024 * 1024;

    /// <summary>
    /// Nesting of arrays and objects in a computed value: the depth at which ARM's (and System.Text.Json's) JSON
    /// readers stop, so that every value Gatehouse computes can be written, stored and read back.
    /// </summary>
    public const int MaxValueDepth = 64;

    /// <summary>
    /// The values one deployment may compute in all, counted as <see cref="MaxValueSize"/> counts them. ARM limits the
    /// expanded template to 4 MB compressed; Gatehouse does not compress, so it counts what evaluating produced, with
    /// room for eight times ARM's size: enough for any expansion ARM accepts that is not mostly repeated text, and a
    /// bound of a few hundred MB on what a hostile 800 x 800 copy loop can make the process hold.
    /// </summary>
    public const long MaxExpansionSize = 32L * 1024 * 1024;
}
