using System.Text.Json.Nodes;
using Gatehouse.Errors;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

/// <summary>Copy loops at property, variable and output level, count 0, and serial batches of resources.</summary>
public sealed class CopyLoopTests
{
    [Fact]
    public void Property_copy_builds_an_array_and_sees_the_resource_loop_too()
    {
        const string template = """
            { "resources": [ { "type": "Microsoft.Network/applicationGateways", "name": "[concat('gw', copyIndex())]", "apiVersion": "1",
                "copy": { "name": "gateways", "count": 2 },
                "properties": { "copy": [
                  { "name": "frontendPorts", "count": 3, "input": { "name": "[format('port{0}-{1}', copyIndex(), copyIndex('frontendPorts'))]" } },
                  { "name": "probes", "count": 0, "input": { } } ] } } ] }
            """;

        var properties = Expand(template).Resources[1].Body["properties"]!;

        Assert.Equal("""{"frontendPorts":[{"name":"port1-0"},{"name":"port1-1"},{"name":"port1-2"}],"probes":[]}""", properties.ToJsonString());
    }

    [Fact]
    public void Variable_copy_defines_array_variables_and_property_copies_work_inside_variables()
    {
        const string template = """
            { "variables": {
                "copy": [ { "name": "subnets", "count": 2, "input": "[concat('10.0.', copyIndex('subnets'), '.0/24')]" } ],
                "nsgs": { "copy": [ { "name": "names", "count": 2, "input": "[concat('nsg', copyIndex('names', 1))]" } ] } },
              "outputs": {
                "subnets": { "type": "array", "value": "[variables('subnets')]" },
                "nsgs": { "type": "object", "value": "[variables('nsgs')]" } } }
            """;

        var outputs = Expand(template).Outputs;

        Assert.Equal("""["10.0.0.0/24","10.0.1.0/24"]""", outputs["subnets"]!["value"]!.ToJsonString());
        Assert.Equal("""{"names":["nsg1","nsg2"]}""", outputs["nsgs"]!["value"]!.ToJsonString());
    }

    [Fact]
    public void Output_copy_gives_an_array_of_its_input()
    {
        const string template = """{ "outputs": { "ids": { "type": "array", "copy": { "count": 2, "input": "[concat('id', copyIndex())]" } } } }""";

        Assert.Equal("""["id0","id1"]""", Expand(template).Outputs["ids"]!["value"]!.ToJsonString());
    }

    [Fact]
    public void Copy_count_zero_deploys_nothing_and_a_dependency_on_the_loop_is_met()
    {
        const string template = """
            { "resources": [
                { "type": "A.B/c", "name": "[concat('n', copyIndex())]", "apiVersion": "1", "copy": { "name": "none", "count": 0 } },
                { "type": "A.B/d", "name": "after", "apiVersion": "1", "dependsOn": [ "none" ] } ] }
            """;

        Assert.Equal(["after"], Expand(template).Resources.Select(r => r.Name));
    }

    [Fact]
    public void Serial_mode_makes_each_batch_depend_on_the_one_before()
    {
        const string template = """
            { "resources": [ { "type": "A.B/c", "name": "[concat('n', copyIndex())]", "apiVersion": "1",
                "copy": { "name": "serial", "count": 5, "mode": "serial", "batchSize": 2 } } ] }
            """;

        var dependsOn = Expand(template).Resources.ToDictionary(r => r.Name, r => r.DependsOn.Select(id => id.Split('/')[^1]).ToList());

        Assert.Empty(dependsOn["n0"]);
        Assert.Empty(dependsOn["n1"]);
        Assert.Equal(["n0", "n1"], dependsOn["n2"]);
        Assert.Equal(["n0", "n1"], dependsOn["n3"]);
        Assert.Equal(["n2", "n3"], dependsOn["n4"]);
    }

    [Fact]
    public void Copy_count_beyond_800_is_refused_naming_its_path()
    {
        const string template = """{ "outputs": { "o": { "type": "array", "copy": { "count": 801, "input": 1 } } } }""";

        Assert.Equal("outputs.o.copy.count", Assert.Throws<ArmException>(() => Expand(template)).Error.Target);
    }

    [Fact]
    public void Named_copyIndex_of_a_loop_that_does_not_enclose_is_an_error()
    {
        var template = new JsonObject
        {
            ["outputs"] = new JsonObject { ["o"] = new JsonObject { ["type"] = "array", ["copy"] = new JsonObject { ["count"] = 1, ["input"] = "[copyIndex('other')]" } } },
        };

        Assert.Contains("'other'", Assert.Throws<ArmException>(() => TemplateExpander.Expand(template, null, Scope)).Message);
    }
}
