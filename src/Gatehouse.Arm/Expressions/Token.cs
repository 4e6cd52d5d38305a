namespace Gatehouse.Arm.Expressions;

internal enum TokenKind { String, Integer, Identifier, OpenParen, CloseParen, OpenBracket, CloseBracket, Dot, Comma, End }

/// <summary>
/// One lexeme of a template language expression. <see cref="Text"/> is the decoded value for strings (quotes removed,
/// <c>''</c> unescaped) and the source text otherwise; <see cref="Length"/> is always the length in the source.
/// </summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, int Length, long Integer = 0);
