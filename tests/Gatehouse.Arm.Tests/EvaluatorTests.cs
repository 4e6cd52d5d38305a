using System.Text.Json.Nodes;
using Gatehouse.Errors;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

public sealed class EvaluatorTests
{
    private const string WithVariables = """{ "variables": { "settings": { "Name": "gw", "ports": [80, 443] } } }""";

    [Fact]
    public void String_not_in_brackets_is_a_literal()
    {
        Assert.Equal("plain text", EvaluateText("plain text"));
    }

    [Fact]
    public void Double_opening_bracket_escapes_to_a_literal()
    {
        Assert.Equal("[literal]", EvaluateText("[[literal]"));
        Assert.Equal("[concat('a')]", EvaluateText("[[concat('a')]"));
    }

    [Fact]
    public void Escaped_quote_in_a_string_literal()
    {
        Assert.Equal("it's", EvaluateText("['it''s']"));
    }

    [Fact]
    public void Nested_calls_evaluate_inside_out()
    {
        Assert.Equal("ab-C", EvaluateText("[concat(toLower('A'), 'b', '-', toUpper(substring('xc', 1, 1)))]"));
    }

    [Fact]
    public void Member_access_ignores_case()
    {
        Assert.Equal("gw", EvaluateText("[variables('settings').name]", WithVariables));
    }

    [Fact]
    public void Index_access_by_position_and_by_property_name()
    {
        Assert.Equal(443, Evaluate("[variables('settings').ports[1]]", WithVariables)!.GetValue<long>());
        Assert.Equal("gw", EvaluateText("[variables('settings')['NAME']]", WithVariables));
    }

    [Fact]
    public void Function_names_ignore_case()
    {
        Assert.Equal("AB", EvaluateText("[CONCAT(ToUpper('a'), 'B')]"));
    }

    [Fact]
    public void Values_keep_their_json_type()
    {
        Assert.Equal(3, Evaluate("[add(1, 2)]")!.GetValue<long>());
        Assert.True(Evaluate("[equals(1, 1)]")!.GetValue<bool>());
        Assert.IsType<JsonArray>(Evaluate("[createArray(1, 'a')]"));
        Assert.Null(Evaluate("[null()]"));
    }

    [Fact]
    public void Integer_arithmetic_is_64_bit_and_overflow_is_an_error()
    {
        Assert.Equal(4_000_000_000L * 3, Evaluate("[mul(4000000000, 3)]")!.GetValue<long>());
        Assert.Contains("64-bit", EvaluationError("[add(9223372036854775807, 1)]").Message);
    }

    [Fact]
    public void Unknown_function_is_not_valid()
    {
        Assert.StartsWith("The template function 'foo' is not valid.", EvaluationError("[foo()]").Message);
    }

    [Fact]
    public void Wrong_argument_count_names_the_function_and_the_counts()
    {
        Assert.Equal(
            "Unable to evaluate template language function 'equals': function requires 2 argument(s) while 1 were provided.",
            EvaluationError("[equals(1)]").Message);
        Assert.Contains("at least 2", EvaluationError("[resourceId('a')]").Message);
    }

    [Fact]
    public void Missing_property_lists_the_available_ones()
    {
        Assert.Equal(
            "The language expression property 'nope' doesn't exist, available properties are 'Name, ports'.",
            EvaluationError("[variables('settings').nope]", WithVariables).Message);
    }

    [Fact]
    public void Array_index_out_of_bounds_is_an_error()
    {
        Assert.Contains("'2' is out of bounds", EvaluationError("[variables('settings').ports[2]]", WithVariables).Message);
    }

    [Fact]
    public void Argument_of_the_wrong_type_is_an_error()
    {
        Assert.Contains("must be of type 'String'", EvaluationError("[toLower(1)]").Message);
    }

    [Fact]
    public void If_only_evaluates_the_branch_it_takes()
    {
        Assert.Equal("safe", EvaluateText("[if(true(), 'safe', foo())]"));
    }

    [Fact]
    public void Errors_in_a_template_name_the_template_path()
    {
        var template = Parse("""{ "resources": [ { "type": "A.B/c", "name": "n", "apiVersion": "1", "properties": { "list": [ "[foo()]" ] } } ] }""");

        var error = Assert.Throws<ArmException>(() => TemplateExpander.Expand(template, null, Scope)).Error;

        Assert.Equal(("InvalidTemplate", "resources[0].properties.list[0]"), (error.Code, error.Target));
        Assert.Contains("resources[0].properties.list[0]", error.Message);
        Assert.Contains("The template function 'foo' is not valid", error.Message);
    }
}
