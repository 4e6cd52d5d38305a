using Gatehouse.Tools.SpecificationTables;

namespace Gatehouse.Network.Tests;

/// <summary>The committed tables are what tools/SpecificationTables makes of the specification: a new api-version is a regeneration.</summary>
public sealed class SpecificationTablesTests
{
    [Fact]
    public void The_generated_tables_are_up_to_date_with_the_specification()
    {
        var generated = Program.Generate(ReferenceDeployment.SharedPath("reference", "rest-api-2025-03-01"));

        Assert.Equal(["CanonicalEnums.g.cs", "CanonicalNames.g.cs"], generated.Keys.Order());
        foreach (var (name, text) in generated)
            Assert.Equal(text, File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Gatehouse.Network", "Json", name)));
    }

    [Fact]
    public void Listener_protocols_and_redirect_types_are_enumerations_of_the_specification()
    {
        var enumerations = Program.Generate(ReferenceDeployment.SharedPath("reference", "rest-api-2025-03-01"))["CanonicalEnums.g.cs"];

        Assert.Contains("[\"properties.httpListeners[].properties.protocol\"] = \"ApplicationGatewayProtocol\"", enumerations);
        Assert.Contains("[\"properties.redirectConfigurations[].properties.redirectType\"] = \"ApplicationGatewayRedirectType\"", enumerations);
        Assert.Contains("[\"properties.sku.tier\"] = \"ApplicationGatewayTier\"", enumerations);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Gatehouse.slnx"))) dir = dir.Parent;
        return dir.FullName;
    }
}
