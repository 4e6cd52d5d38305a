using Gatehouse.Errors;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

public sealed class ParameterBindingTests
{
    private const string Template = """
        {
          "parameters": {
            "Name":     { "type": "String", "minLength": 2, "maxLength": 5 },
            "count":    { "type": "Int", "defaultValue": 2, "minValue": 1, "maxValue": 10 },
            "tier":     { "type": "string", "defaultValue": "Standard_v2", "allowedValues": [ "Standard_v2", "WAF_v2" ] },
            "enabled":  { "type": "bool", "defaultValue": true },
            "tags":     { "type": "object", "defaultValue": {} },
            "zones":    { "type": "array", "defaultValue": [ "1" ], "allowedValues": [ "1", "2", "3" ] },
            "password": { "type": "SecureString", "defaultValue": "", "allowedValues": [ "", "s3cret" ] },
            "label":    { "type": "string", "defaultValue": "[concat(parameters('name'), '-', parameters('count'))]" }
          },
          "outputs": { "label": { "type": "string", "value": "[parameters('LABEL')]" } }
        }
        """;

    private static ArmError BindError(string parameters) => Assert.Throws<ArmException>(() => Expand(Template, parameters)).Error;

    [Fact]
    public void Defaults_fill_in_and_may_use_earlier_parameters()
    {
        var expanded = Expand(Template, """{ "name": { "value": "gw" } }""");

        Assert.Equal("gw-2", expanded.Outputs["label"]!["value"]!.GetValue<string>());
        Assert.Equal(["Name", "count", "tier", "enabled", "tags", "zones", "password", "label"], expanded.Parameters.Select(p => p.Name));
        Assert.Equal(["string", "int", "string", "bool", "object", "array", "securestring", "string"], expanded.Parameters.Select(p => p.Type));
    }

    [Fact]
    public void Missing_value_without_default_uses_arms_message()
    {
        var error = BindError("{}");

        Assert.Equal(("InvalidTemplate", "The value for the template parameter 'Name' is not provided.", "parameters.Name"), (error.Code, error.Message, error.Target));
    }

    [Fact]
    public void Undeclared_parameter_is_rejected()
    {
        var error = BindError("""{ "name": { "value": "gw" }, "x": { "value": 1 } }""");

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.StartsWith(
            "The template parameters 'x' in the parameters file are not valid; they are not present in the original template and can therefore not be provided at deployment time.",
            error.Message);
    }

    [Theory]
    [InlineData("""{ "name": { "value": "gw" }, "count": { "value": "2" } }""", "Expected a value of type 'int', but received a value of type 'String'")]
    [InlineData("""{ "name": { "value": 5 } }""", "Expected a value of type 'string', but received a value of type 'Integer'")]
    [InlineData("""{ "name": { "value": "gw" }, "enabled": { "value": "true" } }""", "type 'bool'")]
    [InlineData("""{ "name": { "value": "gw" }, "tags": { "value": [] } }""", "type 'object'")]
    public void Value_of_the_wrong_type_is_rejected(string parameters, string expected)
    {
        var error = BindError(parameters);

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("""{ "name": { "value": "gw" }, "tier": { "value": "Basic" } }""", "'Basic' is not part of the allowed values: 'Standard_v2, WAF_v2'")]
    [InlineData("""{ "name": { "value": "gw" }, "zones": { "value": [ "1", "4" ] } }""", "is not part of the allowed values")]
    [InlineData("""{ "name": { "value": "gw" }, "count": { "value": 0 } }""", "less than the minValue 1")]
    [InlineData("""{ "name": { "value": "gw" }, "count": { "value": 11 } }""", "greater than the maxValue 10")]
    [InlineData("""{ "name": { "value": "g" } }""", "less than the minLength 2")]
    [InlineData("""{ "name": { "value": "gateway" } }""", "greater than the maxLength 5")]
    public void Constraints_are_enforced(string parameters, string expected)
    {
        Assert.Contains(expected, BindError(parameters).Message);
    }

    [Fact]
    public void Secure_value_is_never_shown_in_a_constraint_error()
    {
        var error = BindError("""{ "name": { "value": "gw" }, "password": { "value": "hunter2" } }""");

        Assert.Equal("parameters.password", error.Target);
        Assert.DoesNotContain("hunter2", error.ToResponse().ToJsonString());
    }

    [Fact]
    public void Parameter_names_and_declared_types_ignore_case()
    {
        var expanded = Expand(Template, """{ "NAME": { "value": "gw" }, "COUNT": { "value": 3 } }""");

        Assert.Equal("gw-3", expanded.Outputs["label"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Single_placeholder_is_reported_on_its_parameter()
    {
        var error = BindError("""{ "name": { "value": "<name>" } }""");

        Assert.Equal(("InvalidParameter", "parameters.Name"), (error.Code, error.Target));
        Assert.Contains("'<name>'", error.Message);
    }

    [Fact]
    public void Secure_placeholder_is_not_echoed()
    {
        var error = BindError("""{ "name": { "value": "gw" }, "password": { "value": "<the-password>" } }""");

        Assert.Equal(("InvalidParameter", "parameters.password"), (error.Code, error.Target));
        Assert.Contains("placeholder", error.Message);
        Assert.DoesNotContain("the-password", error.Message);
    }

    [Fact]
    public void Strings_merely_containing_angle_brackets_are_not_placeholders()
    {
        Assert.Equal("a<b>", Expand(Template, """{ "name": { "value": "a<b>" } }""").Parameters[0].Value!.GetValue<string>());
    }
}
