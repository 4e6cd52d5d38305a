using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Tests;

public sealed class ParserTests
{
    [Fact]
    public void Parses_nested_calls_into_a_tree()
    {
        var call = Assert.IsType<FunctionCallExpression>(Parser.Parse("concat(toLower('A'), string(1))"));

        Assert.Equal("concat", call.Name);
        Assert.Equal(["toLower", "string"], call.Arguments.Cast<FunctionCallExpression>().Select(a => a.Name));
    }

    [Fact]
    public void Member_and_index_access_chain_left_to_right()
    {
        var index = Assert.IsType<IndexAccessExpression>(Parser.Parse("resourceGroup().properties['provisioningState']"));
        var member = Assert.IsType<MemberAccessExpression>(index.Target);

        Assert.Equal("properties", member.Member);
        Assert.Equal("provisioningState", Assert.IsType<LiteralExpression>(index.Index).Value.GetValue<string>());
    }

    [Fact]
    public void Literal_at_the_top_level_is_allowed()
    {
        Assert.True(JsonNode.DeepEquals(JsonValue.Create(5L), Assert.IsType<LiteralExpression>(Parser.Parse("5")).Value));
    }

    [Theory]
    [InlineData("concat('a',)", "expected a function call or a literal")]
    [InlineData("concat('a'", "expected ',' or ')'")]
    [InlineData("concat('a'))", "expected the end of the expression")]
    [InlineData("variables", "expected '(' after the function name 'variables'")]
    [InlineData("a().", "expected a property name")]
    public void Malformed_expressions_are_rejected_with_what_was_expected(string text, string expected)
    {
        Assert.Contains(expected, Assert.Throws<ExpressionException>(() => Parser.Parse(text)).Message);
    }
}
