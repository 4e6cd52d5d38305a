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
}
