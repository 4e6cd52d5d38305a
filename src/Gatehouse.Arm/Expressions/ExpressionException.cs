namespace Gatehouse.Arm.Expressions;

/// <summary>
/// A problem found while tokenizing, parsing or evaluating one expression. It knows nothing of where the
/// expression sits in the template; the template walker turns it into an <see cref="ArmException"/> naming the path.
/// </summary>
internal sealed class ExpressionException(string message) : Exception(message);
