using Gatehouse.Errors;

namespace Gatehouse.Arm.Tests;

public sealed class JsoncTests
{
    [Fact]
    public void Comments_and_trailing_commas_are_allowed()
    {
        var node = Jsonc.Parse("""
            {
              // line comment
              "a": [1, 2, ], /* block
              comment */ "b": "x",
            }
            """);

        Assert.Equal("""{"a":[1,2],"b":"x"}""", node.ToJsonString());
    }

    [Fact]
    public void Bad_json_reports_line_and_position()
    {
        var error = Assert.Throws<ArmException>(() => Jsonc.Parse("{\n  \"a\": 1\n  \"b\": 2\n}")).Error;

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Contains("line 3, position 3", error.Message);
        Assert.DoesNotContain("LineNumber", error.Message);
    }

    [Fact]
    public void Broken_upstream_template_is_rejected()
    {
        var text = TestTemplates.CorpusFile("qs-application-gateway-create/azuredeploy.broken-0df1648.json");

        Assert.Contains("line", Assert.Throws<ArmException>(() => Jsonc.Parse(text)).Message);
    }

    [Fact]
    public void Expression_errors_name_the_line_and_column_of_the_template_and_the_json_path()
    {
        const string text = "{\n  // comment\n  \"resources\": [ { \"type\": \"A.B/c\", \"name\": \"n\", \"apiVersion\": \"1\",\n    \"properties\": { \"x\": \"[nope()]\" } } ]\n}";

        var error = Assert.Throws<ArmException>(() => TemplateExpander.Expand((System.Text.Json.Nodes.JsonObject)Jsonc.Parse(text), null, TestTemplates.Scope)).Error;

        Assert.Contains("at 'resources[0].properties.x' (line 4, column 26)", error.Message);
        Assert.Equal("resources[0].properties.x", error.Target);
    }

    [Fact]
    public void Positions_count_characters_not_bytes()
    {
        var root = (System.Text.Json.Nodes.JsonObject)Jsonc.Parse("{ \"é\": [ 1, \"ü\" ] }");

        Assert.Equal((1, 1), Jsonc.PositionOf(root));
        Assert.Equal((1, 13), Jsonc.PositionOf(root["é"]![1]!));
    }

    /// <summary>Found by fuzz/run.sh (template target): the duplicate surfaced later as an ArgumentException.</summary>
    [Fact]
    public void A_property_named_twice_is_an_ARM_error_naming_where()
    {
        var error = Assert.Throws<ArmException>(() => Jsonc.Parse("{ \"outputs\": { \"o\": { \"value\": 1, \"value\": 2 } } }")).Error;

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Contains("'value'", error.Message);
    }
}
