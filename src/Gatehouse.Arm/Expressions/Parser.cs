using System.Text.Json.Nodes;

namespace Gatehouse.Arm.Expressions;

/// <summary>
/// Recursive descent over the template language grammar:
/// <code>
/// expression := primary ( '.' identifier | '[' expression ']' )*
/// primary    := string | integer | identifier '(' ( expression ( ',' expression )* )? ')'
/// </code>
/// </summary>
internal sealed class Parser
{
    private readonly IReadOnlyList<Token> _tokens;
    private int _next;
    private int _depth;

    private Parser(IReadOnlyList<Token> tokens) => _tokens = tokens;

    /// <summary>Parses the text between the outer brackets of a <c>"[...]"</c> template string.</summary>
    public static Expression Parse(string expression)
    {
        var parser = new Parser(Tokenizer.Tokenize(expression));
        var root = parser.ParseExpression();
        parser.Expect(TokenKind.End, "the end of the expression");
        return root;
    }

    private Token Current => _tokens[_next];

    private Expression ParseExpression()
    {
        if (++_depth > TemplateLimits.MaxExpressionDepth)
            throw new ExpressionException($"The language expression nests more than {TemplateLimits.MaxExpressionDepth} levels deep at position {Current.Position}.");
        StackGuard.EnsureInExpression();
        var expression = ParsePrimary();
        while (true)
        {
            if (TryTake(TokenKind.Dot))
                expression = new MemberAccessExpression(expression, Expect(TokenKind.Identifier, "a property name").Text);
            else if (TryTake(TokenKind.OpenBracket))
            {
                var index = ParseExpression();
                Expect(TokenKind.CloseBracket, "']'");
                expression = new IndexAccessExpression(expression, index);
            }
            else
            {
                _depth--;
                return expression;
            }
        }
    }

    private Expression ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.String: _next++; return new LiteralExpression(JsonValue.Create(token.Text));
            case TokenKind.Integer: _next++; return new LiteralExpression(JsonValue.Create(token.Integer));
            case TokenKind.Identifier:
                _next++;
                Expect(TokenKind.OpenParen, $"'(' after the function name '{token.Text}'");
                return new FunctionCallExpression(token.Text, ParseArguments());
            default: throw Unexpected("a function call or a literal");
        }
    }

    private List<Expression> ParseArguments()
    {
        var arguments = new List<Expression>();
        if (TryTake(TokenKind.CloseParen)) return arguments;
        do arguments.Add(ParseExpression());
        while (TryTake(TokenKind.Comma));
        Expect(TokenKind.CloseParen, "',' or ')'");
        return arguments;
    }

    private bool TryTake(TokenKind kind)
    {
        if (Current.Kind != kind) return false;
        _next++;
        return true;
    }

    private Token Expect(TokenKind kind, string expected)
    {
        if (Current.Kind != kind) throw Unexpected(expected);
        return _tokens[_next++];
    }

    private ExpressionException Unexpected(string expected)
    {
        var found = Current.Kind == TokenKind.End ? "the end of the expression" : $"'{Current.Text}'";
        return new ExpressionException($"The language expression is not valid: expected {expected} at position {Current.Position} but found {found}.");
    }
}
