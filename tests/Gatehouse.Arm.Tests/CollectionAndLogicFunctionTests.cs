using System.Text.Json.Nodes;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

public sealed class CollectionAndLogicFunctionTests
{
    private static string Json(string expression) => Evaluate(expression)?.ToJsonString() ?? "null";

    [Theory]
    [InlineData("[concat(createArray(1, 2), createArray(3))]", "[1,2,3]")]
    [InlineData("[union(createArray(1, 2), createArray(2, 3))]", "[1,2,3]")]
    [InlineData("[union(createObject('a', 1, 'b', 2), createObject('B', 3))]", """{"a":1,"b":3}""")]
    [InlineData("[createObject('name', 'gw', 'ports', createArray(80))]", """{"name":"gw","ports":[80]}""")]
    [InlineData("[array('x')]", """["x"]""")]
    [InlineData("[first(createArray('a', 'b'))]", "\"a\"")]
    [InlineData("[last('abc')]", "\"c\"")]
    [InlineData("[skip(createArray(1, 2, 3), 1)]", "[2,3]")]
    [InlineData("[take('gateway', 4)]", "\"gate\"")]
    [InlineData("[range(5, 3)]", "[5,6,7]")]
    [InlineData("[json('{\"a\": [1, true]}')]", """{"a":[1,true]}""")]
    [InlineData("[coalesce(null(), null(), 'x')]", "\"x\"")]
    [InlineData("[tryGet(createObject('a', createObject('b', 1)), 'a', 'b')]", "1")]
    [InlineData("[tryGet(createObject('a', 1), 'missing')]", "null")]
    public void Builds_collections(string expression, string expectedJson)
    {
        Assert.Equal(expectedJson, Json(expression));
    }

    [Theory]
    [InlineData("[length('abc')]", 3)]
    [InlineData("[length(createArray(1, 2))]", 2)]
    [InlineData("[length(createObject('a', 1))]", 1)]
    [InlineData("[add(2, 3)]", 5)]
    [InlineData("[sub(2, 3)]", -1)]
    [InlineData("[mul(4, 3)]", 12)]
    [InlineData("[div(7, 2)]", 3)]
    [InlineData("[mod(7, 2)]", 1)]
    [InlineData("[min(4, 2, 9)]", 2)]
    [InlineData("[max(createArray(4, 2, 9))]", 9)]
    [InlineData("[int('-42')]", -42)]
    public void Computes_integers(string expression, long expected)
    {
        Assert.Equal(expected, Evaluate(expression)!.GetValue<long>());
    }

    [Theory]
    [InlineData("[contains('Gateway', 'way')]", true)]
    [InlineData("[contains('Gateway', 'WAY')]", false)]
    [InlineData("[contains(createArray(1, 2), 2)]", true)]
    [InlineData("[contains(createObject('Key', 1), 'key')]", true)]
    [InlineData("[empty('')]", true)]
    [InlineData("[empty(createArray())]", true)]
    [InlineData("[empty(createObject('a', 1))]", false)]
    [InlineData("[equals(createArray(1, 'a'), createArray(1, 'a'))]", true)]
    [InlineData("[equals('a', 'A')]", false)]
    [InlineData("[not(equals(1, 2))]", true)]
    [InlineData("[and(true(), true(), false())]", false)]
    [InlineData("[or(false(), true())]", true)]
    [InlineData("[bool('TRUE')]", true)]
    [InlineData("[bool(0)]", false)]
    [InlineData("[greater(3, 2)]", true)]
    [InlineData("[less('a', 'b')]", true)]
    [InlineData("[greaterOrEquals(2, 2)]", true)]
    [InlineData("[lessOrEquals(3, 2)]", false)]
    [InlineData("[if(equals(1, 1), true(), false())]", true)]
    public void Decides(string expression, bool expected)
    {
        Assert.Equal(expected, Evaluate(expression)!.GetValue<bool>());
    }

    [Fact]
    public void Division_by_zero_is_an_error()
    {
        Assert.Contains("divisor is zero", EvaluationError("[div(1, 0)]").Message);
    }

    [Fact]
    public void Results_are_fresh_nodes_that_can_be_placed_in_another_tree()
    {
        var value = Evaluate("[variables('v')]", """{ "variables": { "v": { "a": [1] } } }""");

        Assert.Null(value!.Parent);
        Assert.NotNull(new JsonObject { ["copy"] = value });
    }
}
