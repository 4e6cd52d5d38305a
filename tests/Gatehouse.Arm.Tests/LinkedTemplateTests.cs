using System.Text.Json.Nodes;
using Gatehouse.Errors;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

/// <summary>
/// Linked deployments (<c>templateLink</c>): read through the resolver and expanded as an inline deployment in its own
/// scope; without a resolver, what reads their outputs fails, or with <see cref="ExpansionOptions.DeferLinkedOutputs"/>
/// keeps its expression text and is reported.
/// </summary>
public sealed class LinkedTemplateTests
{
    private const string Parent = """
        { "variables": { "prefix": "parent-variable" },
          "resources": [
            { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "backends",
              "properties": { "mode": "Incremental",
                "templateLink": { "uri": "https://templates.example/nested/backends.json?sv=2024&sig=SECRET", "contentVersion": "1.0.0.0" },
                "parameters": { "prefix": { "value": "web" } } } },
            { "type": "Microsoft.Network/applicationGateways", "apiVersion": "2024-01-01", "name": "gw",
              "properties": { "fqdn": "[reference('backends').outputs.fqdn.value]", "size": "Standard_v2" } } ] }
        """;

    /// <summary>Declares a public IP and gives an fqdn from its parameter; its own variable 'prefix' shadows nothing of the parent's.</summary>
    private const string Backends = """
        { "contentVersion": "1.0.0.0",
          "parameters": { "prefix": { "type": "string" } },
          "variables": { "suffix": "backend.example" },
          "resources": [ { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "1", "name": "[concat(parameters('prefix'), '-ip')]",
            "properties": { "link": "[deployment().properties.templateLink.uri]" } } ],
          "outputs": { "fqdn": { "type": "string", "value": "[concat(parameters('prefix'), '.', variables('suffix'))]" } } }
        """;

    private static ExpansionOptions Serving(Dictionary<string, string> documents, List<Uri>? asked = null) => new()
    {
        ResolveTemplateLink = uri =>
        {
            asked?.Add(uri);
            return documents.TryGetValue(uri.GetLeftPart(UriPartial.Path), out var text) ? Parse(text) : throw new TemplateLinkException("404 Not Found");
        },
    };

    [Fact]
    public void Linked_template_expands_in_its_own_scope_and_its_outputs_feed_the_parent()
    {
        var expanded = TemplateExpander.Expand(Parse(Parent), null, Scope, Serving(new() { ["https://templates.example/nested/backends.json"] = Backends }));

        Assert.Equal(["web-ip", "gw"], expanded.Resources.Select(r => r.Name));
        Assert.Equal("web.backend.example", expanded.Resources[1].Body["properties"]!["fqdn"]!.GetValue<string>());
        Assert.Equal("https://templates.example/nested/backends.json?sv=2024&sig=SECRET", expanded.Resources[0].Body["properties"]!["link"]!.GetValue<string>());
        Assert.Empty(expanded.DeferredPaths);
    }

    [Fact]
    public void Relative_path_resolves_against_the_parent_link_with_its_query_and_parameters_come_from_a_parameters_link()
    {
        const string parent = """
            { "resources": [ { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "backends",
                "properties": { "mode": "Incremental", "templateLink": { "relativePath": "nested/backends.json" },
                  "parametersLink": { "uri": "https://params.example/backends.parameters.json" } } } ],
              "outputs": { "fqdn": { "type": "string", "value": "[reference('backends').outputs.fqdn.value]" } } }
            """;
        var asked = new List<Uri>();
        var options = Serving(new()
        {
            ["https://templates.example/root/nested/backends.json"] = Backends,
            ["https://params.example/backends.parameters.json"] = """{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": { "prefix": { "value": "api" } } }""",
        }, asked) with { TemplateLink = new Uri("https://templates.example/root/main.json?sig=PARENT") };

        var expanded = TemplateExpander.Expand(Parse(parent), null, Scope, options);

        Assert.Equal("api.backend.example", expanded.Outputs["fqdn"]!["value"]!.GetValue<string>());
        Assert.Equal("https://templates.example/root/nested/backends.json?sig=PARENT", asked[0].ToString());
    }

    [Fact]
    public void Links_not_at_hand_yet_are_all_named_in_one_expansion_and_their_deployments_stay_unexpanded()
    {
        const string parent = """
            { "parameters": { "site": { "type": "string", "defaultValue": "api" } },
              "resources": [
                { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "first",
                  "properties": { "mode": "Incremental", "templateLink": { "uri": "[concat('https://templates.example/', parameters('site'), '/first.json')]" },
                    "parametersLink": { "uri": "https://params.example/first.parameters.json" } } },
                { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "second",
                  "properties": { "mode": "Incremental", "templateLink": { "uri": "https://templates.example/second.json" } } } ] }
            """;
        var asked = new List<Uri>();

        var expanded = TemplateExpander.Expand(Parse(parent), null, Scope, new ExpansionOptions { ResolveTemplateLink = uri => { asked.Add(uri); return null; } });

        Assert.Equal(["https://templates.example/api/first.json", "https://params.example/first.parameters.json", "https://templates.example/second.json"],
            asked.Select(u => u.ToString()));
        Assert.Equal(["first", "second"], expanded.Resources.Select(r => r.Name));
    }

    [Fact]
    public void Unreadable_link_fails_naming_the_deployment_and_the_uri_without_its_query()
    {
        var error = Assert.Throws<ArmException>(() => TemplateExpander.Expand(Parse(Parent), null, Scope, Serving([]))).Error;

        Assert.Equal("InvalidContentLink", error.Code);
        Assert.Contains("'backends'", error.Message);
        Assert.Contains("'https://templates.example/nested/backends.json?[query redacted]'", error.Message);
        Assert.Contains("404 Not Found", error.Message);
        Assert.DoesNotContain("SECRET", error.Message);
        Assert.Equal("resources[0].properties.templateLink", error.Target);
    }

    [Fact]
    public void Linked_template_of_another_content_version_than_the_link_asks_for_is_refused()
    {
        var options = Serving(new() { ["https://templates.example/nested/backends.json"] = Backends.Replace("1.0.0.0", "2.0.0.0", StringComparison.Ordinal) });

        var error = Assert.Throws<ArmException>(() => TemplateExpander.Expand(Parse(Parent), null, Scope, options)).Error;

        Assert.Equal("InvalidContentLink", error.Code);
        Assert.Contains("'2.0.0.0'", error.Message);
    }

    [Fact]
    public void A_template_that_links_itself_fails_instead_of_recursing_forever()
    {
        const string self = """
            { "resources": [ { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "again",
                "properties": { "mode": "Incremental", "templateLink": { "uri": "https://templates.example/self.json" } } } ] }
            """;

        var error = Assert.Throws<ArmException>(() => TemplateExpander.Expand(Parse(self), null, Scope, Serving(new() { ["https://templates.example/self.json"] = self })));

        Assert.Contains("nested more than 50 deployments deep", error.Message);
    }

    [Fact]
    public void Without_a_resolver_reading_linked_outputs_fails_unless_deferral_is_asked_for()
    {
        var error = Assert.Throws<ArmException>(() => Expand(Parent)).Error;

        Assert.Equal("resources[1].properties.fqdn", error.Target);
        Assert.Contains("'backends' links its template through 'templateLink' and no template link resolver was given", error.Message);
    }

    [Fact]
    public void Deferred_linked_outputs_keep_their_expression_text_and_are_reported_and_what_reads_them_is_deferred_too()
    {
        var template = Parse(Parent);
        template["resources"]!.AsArray().Add(Parse("""
            { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "1", "name": "reader", "properties": { "copied": "[reference('gw').size]" } }
            """));
        template["outputs"] = Parse("""{ "fqdn": { "type": "string", "value": "[reference('backends').outputs.fqdn.value]" } }""");

        var expanded = TemplateExpander.Expand(template, null, Scope, new ExpansionOptions { DeferLinkedOutputs = true });

        var gateway = expanded.Resources.Single(r => r.Name == "gw");
        Assert.Equal("[reference('backends').outputs.fqdn.value]", gateway.Body["properties"]!["fqdn"]!.GetValue<string>());
        Assert.Equal("Standard_v2", gateway.Body["properties"]!["size"]!.GetValue<string>());
        Assert.Equal("[reference('gw').size]", expanded.Resources.Single(r => r.Name == "reader").Body["properties"]!["copied"]!.GetValue<string>());
        Assert.Equal("[reference('backends').outputs.fqdn.value]", expanded.Outputs["fqdn"]!["value"]!.GetValue<string>());
        Assert.Equal(["resources[1].properties.fqdn", "resources[2].properties.copied", "outputs.fqdn.value"], expanded.DeferredPaths);
    }

    [Fact]
    public void A_deferred_value_cannot_stand_where_the_deployment_needs_it_to_declare_resources()
    {
        var template = Parse(Parent);
        template["resources"]!.AsArray().Add(Parse("""
            { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "1", "name": "[reference('backends').outputs.fqdn.value]" }
            """));

        var error = Assert.Throws<ArmException>(() => TemplateExpander.Expand(template, null, Scope, new ExpansionOptions { DeferLinkedOutputs = true })).Error;

        Assert.Equal("resources[2].name", error.Target);
        Assert.Contains("known only after deployment", error.Message);
    }
}
