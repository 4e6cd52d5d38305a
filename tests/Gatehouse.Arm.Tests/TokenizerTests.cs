using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Tests;

public sealed class TokenizerTests
{
    private static IEnumerable<(TokenKind, string)> Lex(string text) => Tokenizer.Tokenize(text).Select(t => (t.Kind, t.Text));

    [Fact]
    public void Splits_a_call_with_member_and_index_access_into_tokens()
    {
        Assert.Equal(
            [(TokenKind.Identifier, "f"), (TokenKind.OpenParen, "("), (TokenKind.String, "a"), (TokenKind.Comma, ","), (TokenKind.Integer, "12"),
             (TokenKind.CloseParen, ")"), (TokenKind.Dot, "."), (TokenKind.Identifier, "x"), (TokenKind.OpenBracket, "["), (TokenKind.Integer, "-3"),
             (TokenKind.CloseBracket, "]"), (TokenKind.End, "")],
            Lex("f('a', 12).x[-3]"));
    }

    [Fact]
    public void Doubled_quote_inside_a_string_is_one_quote()
    {
        var token = Tokenizer.Tokenize("'it''s'")[0];

        Assert.Equal((TokenKind.String, "it's", 7), (token.Kind, token.Text, token.Length));
    }

    [Fact]
    public void Integers_are_64_bit()
    {
        Assert.Equal(long.MaxValue, Tokenizer.Tokenize("9223372036854775807")[0].Integer);
        Assert.Equal(long.MinValue, Tokenizer.Tokenize("-9223372036854775808")[0].Integer);
    }

    [Fact]
    public void Integer_literal_beyond_64_bits_is_an_error()
    {
        var error = Assert.Throws<ExpressionException>(() => Tokenizer.Tokenize("9223372036854775808"));

        Assert.Contains("64-bit", error.Message);
    }

    [Fact]
    public void Unterminated_string_is_an_error()
    {
        Assert.Contains("not terminated", Assert.Throws<ExpressionException>(() => Tokenizer.Tokenize("concat('abc")).Message);
    }

    [Fact]
    public void Unexpected_character_is_an_error_naming_its_position()
    {
        Assert.Contains("'+' at position 2", Assert.Throws<ExpressionException>(() => Tokenizer.Tokenize("1 + 2")).Message);
    }
}
