using Gatehouse.Errors;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

public sealed class ResourceOrderingTests
{
    private static string Resource(string name, params string[] dependsOn) =>
        $$"""{ "type": "Microsoft.Network/publicIPAddresses", "name": "{{name}}", "apiVersion": "2024-07-01", "dependsOn": [{{string.Join(", ", dependsOn.Select(d => $"\"{d}\""))}}] }""";

    private static string Template(params string[] resources) => $$"""{ "resources": [ {{string.Join(", ", resources)}} ] }""";

    private static string IdOf(string name) => $"{ResourceGroupId}/providers/Microsoft.Network/publicIPAddresses/{name}";

    private static IEnumerable<string> Order(params string[] resources) => Expand(Template(resources)).Resources.Select(r => r.Name);

    [Fact]
    public void Independent_resources_keep_template_order()
    {
        Assert.Equal(["c", "a", "b"], Order(Resource("c"), Resource("a"), Resource("b")));
    }

    [Fact]
    public void A_resource_comes_after_what_it_depends_on_whatever_the_form_of_the_reference()
    {
        var resources = Expand(Template(
            Resource("gw", "[resourceId('Microsoft.Network/publicIPAddresses', 'pip')]", "Microsoft.Network/publicIPAddresses/vnet", "other"),
            Resource("pip"), Resource("vnet"), Resource("other"))).Resources;

        Assert.Equal(["pip", "vnet", "other", "gw"], resources.Select(r => r.Name));
        Assert.Equal([IdOf("pip"), IdOf("vnet"), IdOf("other")], resources[3].DependsOn);
    }

    [Fact]
    public void Dependency_chains_are_followed()
    {
        Assert.Equal(["c", "b", "a"], Order(Resource("a", "b"), Resource("b", "c"), Resource("c")));
    }

    [Fact]
    public void Cycle_is_reported_with_the_resources_in_it()
    {
        var error = Assert.Throws<ArmException>(() => Order(Resource("a", "b"), Resource("b", "c"), Resource("c", "a"), Resource("d"))).Error;

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Equal($"Circular dependency detected on resource: '{IdOf("a")}' -> '{IdOf("b")}' -> '{IdOf("c")}' -> '{IdOf("a")}'.", error.Message);
    }

    [Fact]
    public void Unknown_dependency_is_not_defined_in_the_template()
    {
        var error = Assert.Throws<ArmException>(() => Order(Resource("a", "ghost"))).Error;

        Assert.Equal(("InvalidTemplate", "The resource 'ghost' is not defined in the template.", "resources[0].dependsOn[0]"), (error.Code, error.Message, error.Target));
    }

    [Fact]
    public void Dependency_on_a_resource_whose_condition_is_false_is_dropped()
    {
        var conditional = """{ "condition": false, "type": "Microsoft.Network/publicIPAddresses", "name": "off", "apiVersion": "1", "properties": { "x": "[foo()]" } }""";

        var resources = Expand(Template(Resource("a", "off"), conditional)).Resources;

        Assert.Equal(["a"], resources.Select(r => r.Name));
        Assert.Empty(resources[0].DependsOn);
    }
}
