using System.Globalization;
using System.Text;

namespace Gatehouse.Arm.Expressions;

/// <summary>Splits a template language expression into tokens; a leading minus directly before a digit belongs to the integer.</summary>
internal static class Tokenizer
{
    public static IReadOnlyList<Token> Tokenize(string expression)
    {
        var tokens = new List<Token>();
        var position = 0;
        while (position < expression.Length)
        {
            var current = expression[position];
            if (char.IsWhiteSpace(current)) { position++; continue; }
            var token = current switch
            {
                '\'' => ReadString(expression, position),
                '(' => Single(TokenKind.OpenParen, current, position),
                ')' => Single(TokenKind.CloseParen, current, position),
                '[' => Single(TokenKind.OpenBracket, current, position),
                ']' => Single(TokenKind.CloseBracket, current, position),
                '.' => Single(TokenKind.Dot, current, position),
                ',' => Single(TokenKind.Comma, current, position),
                _ when char.IsAsciiDigit(current) || (current == '-' && NextIsDigit(expression, position)) => ReadInteger(expression, position),
                _ when char.IsLetter(current) || current == '_' || current == '$' => ReadIdentifier(expression, position),
                _ => throw new ExpressionException($"The language expression contains the unexpected character '{current}' at position {position}."),
            };
            tokens.Add(token);
            position += token.Length;
        }
        tokens.Add(new Token(TokenKind.End, "", expression.Length, 0));
        return tokens;
    }

    private static Token Single(TokenKind kind, char text, int position) => new(kind, text.ToString(), position, 1);

    private static bool NextIsDigit(string text, int position) => position + 1 < text.Length && char.IsAsciiDigit(text[position + 1]);

    private static Token ReadString(string text, int start)
    {
        var value = new StringBuilder();
        var position = start + 1;
        while (position < text.Length)
        {
            if (text[position] == '\'')
            {
                if (position + 1 < text.Length && text[position + 1] == '\'') { value.Append('\''); position += 2; continue; }
                return new Token(TokenKind.String, value.ToString(), start, position + 1 - start);
            }
            value.Append(text[position++]);
        }
        throw new ExpressionException($"The language expression has a string literal starting at position {start} that is not terminated.");
    }

    private static Token ReadInteger(string text, int start)
    {
        var end = start + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        var literal = text[start..end];
        if (!long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new ExpressionException($"The integer literal '{literal}' at position {start} does not fit in a 64-bit integer.");
        return new Token(TokenKind.Integer, literal, start, literal.Length, value);
    }

    private static Token ReadIdentifier(string text, int start)
    {
        var end = start + 1;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_' || text[end] == '$')) end++;
        return new Token(TokenKind.Identifier, text[start..end], start, end - start);
    }
}
