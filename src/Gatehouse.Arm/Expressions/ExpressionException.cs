using Gatehouse.Errors;

namespace Gatehouse.Arm.Expressions;

/// <summary>
/// A problem found while tokenizing, parsing or evaluating one expression. It knows nothing of where the
/// expression sits in the template; the template walker turns it into an <see cref="ArmException"/> naming the path.
/// </summary>
internal sealed class ExpressionException(string message) : Exception(message);

/// <summary>
/// An expression reads what is known only at deployment time (the state of a resource of the same deployment, or a
/// linked deployment's outputs, see <see cref="ExpansionOptions.DeferLinkedOutputs"/>): where a deferred value may
/// stand, it keeps its expression text until its resource's turn comes.
/// </summary>
internal sealed class DeferredValueException(string message) : Exception(message);
