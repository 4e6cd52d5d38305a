using System.Text.Json.Nodes;

namespace Gatehouse.Arm.Expressions;

/// <summary>A node of a parsed template language expression.</summary>
internal abstract record Expression;

/// <summary>A string or integer literal.</summary>
internal sealed record LiteralExpression(JsonNode Value) : Expression;

/// <summary><c>name(arg, ...)</c>; the name is matched case-insensitively against the function table.</summary>
internal sealed record FunctionCallExpression(string Name, IReadOnlyList<Expression> Arguments) : Expression;

/// <summary><c>target.member</c>.</summary>
internal sealed record MemberAccessExpression(Expression Target, string Member) : Expression;

/// <summary><c>target[index]</c>: an array position or an object property name.</summary>
internal sealed record IndexAccessExpression(Expression Target, Expression Index) : Expression;

/// <summary>A <c>lambda('a', 'b', body)</c> argument: parameter names and the body, evaluated once per call.</summary>
internal sealed record Lambda(IReadOnlyList<string> Parameters, Expression Body);
