using Gatehouse.Errors;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

public sealed class VariableTests
{
    [Fact]
    public void Variables_may_use_variables_declared_after_them()
    {
        const string template = """
            { "variables": {
                "subnetRef": "[concat(variables('vnetId'), '/subnets/', variables('subnetName'))]",
                "vnetId": "[resourceId('Microsoft.Network/virtualNetworks', variables('vnetName'))]",
                "vnetName": "vnet",
                "subnetName": "sub" } }
            """;

        Assert.Equal($"{ResourceGroupId}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/sub", EvaluateText("[variables('subnetRef')]", template));
    }

    [Fact]
    public void Variable_objects_have_every_string_inside_evaluated()
    {
        const string template = """{ "variables": { "name": "gw", "settings": { "id": "[variables('name')]", "list": ["[toUpper(variables('name'))]", 1] } } }""";

        Assert.Equal("""{"id":"gw","list":["GW",1]}""", Evaluate("[variables('settings')]", template)!.ToJsonString());
    }

    [Fact]
    public void Circular_variables_are_reported_with_the_cycle()
    {
        const string template = """{ "variables": { "a": "[variables('b')]", "b": "[concat(variables('c'), 'x')]", "c": "[variables('a')]" } }""";

        var error = Assert.Throws<ArmException>(() => Evaluate("[variables('a')]", template)).Error;

        Assert.Equal(("InvalidTemplate", "variables.a"), (error.Code, error.Target));
        Assert.Contains("'a' -> 'b' -> 'c' -> 'a'", error.Message);
    }

    [Fact]
    public void Unknown_variable_is_an_error()
    {
        Assert.Contains("The template variable 'nope' is not found", EvaluationError("[variables('nope')]", """{ "variables": {} }""").Message);
    }

    [Fact]
    public void Error_inside_a_variable_names_the_variable_path_not_the_user()
    {
        const string template = """{ "variables": { "broken": "[foo()]" }, "outputs": { "r": { "type": "string", "value": "[variables('broken')]" } } }""";

        var error = Assert.Throws<ArmException>(() => Expand(template)).Error;

        Assert.Equal("variables.broken", error.Target);
    }
}
