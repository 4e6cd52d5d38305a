using Gatehouse.Errors;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

public sealed class ParameterArgumentsTests
{
    private static readonly System.Text.Json.Nodes.JsonObject Template = Parse("""
        { "parameters": {
            "name": { "type": "string" }, "count": { "type": "int" }, "enabled": { "type": "Bool" },
            "tags": { "type": "object" }, "zones": { "type": "array" }, "secret": { "type": "securestring" } } }
        """);

    private static string Merged(params string[] arguments) => ParameterArguments.Merge(Template, arguments).ToJsonString();

    [Fact]
    public void Name_value_pairs_are_read_by_the_declared_type()
    {
        Assert.Equal(
            """{"count":{"value":3},"enabled":{"value":true},"tags":{"value":{"a":"b"}},"zones":{"value":["1"]},"name":{"value":"42"},"secret":{"value":"a=b"}}""",
            Merged("count=3", "enabled=True", """tags={"a":"b"}""", """zones=["1"]""", "name=42", "secret=a=b"));
    }

    [Fact]
    public void Later_arguments_win_and_take_the_declared_casing()
    {
        Assert.Equal("""{"count":{"value":5}}""", Merged("""{ "COUNT": { "value": 1 } }""", "Count=5"));
    }

    [Fact]
    public void Parameter_file_and_bare_object_are_both_accepted()
    {
        const string file = """
            {
              // a deployment parameters file
              "$schema": "https://schema.management.azure.com/schemas/2015-01-01/deploymentParameters.json#",
              "contentVersion": "1.0.0.0",
              "parameters": { "name": { "value": "gw" }, },
            }
            """;

        Assert.Equal("""{"name":{"value":"gw"},"count":{"value":2}}""", Merged(file, """{ "count": { "value": 2 } }"""));
    }

    [Fact]
    public void Integer_that_does_not_parse_is_rejected_naming_the_parameter()
    {
        var error = Assert.Throws<ArmException>(() => Merged("count=two")).Error;

        Assert.Equal(("InvalidParameter", "parameters.count"), (error.Code, error.Target));
    }

    [Fact]
    public void Argument_that_is_neither_json_nor_name_value_is_rejected()
    {
        Assert.Equal("InvalidTemplate", Assert.Throws<ArmException>(() => Merged("just-text")).Error.Code);
    }

    /// <summary>Found by fuzz/run.sh (parameters target): a parameter given twice in one file ended in an ArgumentException.</summary>
    [Fact]
    public void A_parameter_named_twice_in_one_file_is_an_ARM_error()
    {
        var error = Assert.Throws<ArmException>(() => Merged("""{ "count": { "value": 1 }, "count": { "value": 2 } }""")).Error;

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Contains("'count'", error.Message);
    }

    [Fact]
    public void A_parameter_file_over_4_MB_is_refused_before_it_is_parsed()
    {
        var file = $$"""{ "name": { "value": "{{new string('x', TemplateLimits.MaxParameterFileBytes)}}" } }""";

        var error = Assert.Throws<ArmException>(() => Merged(file)).Error;

        Assert.Equal("RequestContentTooLarge", error.Code);
        Assert.Equal("The parameters file content size exceeds the maximum size of 4 MB.", error.Message);
    }
}
