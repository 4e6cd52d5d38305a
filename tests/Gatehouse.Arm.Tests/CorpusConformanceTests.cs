using System.Text.Json.Nodes;
using Gatehouse.Corpus;
using Gatehouse.Errors;

namespace Gatehouse.Arm.Tests;

/// <summary>
/// Every public template in ../shared/corpus expands: with its parameter file, CI placeholders replaced and required
/// parameters generated (see <see cref="CorpusTemplates"/>). Each contains an Application Gateway, which must come out.
/// Only the broken revision fails (<see cref="ExpectedFailures"/>); templates that read linked templates' outputs expand
/// with those values deferred (<see cref="ReadingLinkedOutputs"/>).
/// </summary>
public sealed class CorpusConformanceTests
{
    /// <summary>Template → a part of the error it must fail with, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> ExpectedFailures = new Dictionary<string, string>
    {
        // Not valid JSON (INDEX.md); the missing comma ends line 106, the parser meets the next property on line 107.
        [CorpusTemplates.KnownBroken] = "line 107",
    };

    /// <summary>
    /// Templates whose backends (or certificates) are outputs of linked templates, which are not in the corpus: those
    /// values keep their expression text (<see cref="ExpandedTemplate.DeferredPaths"/>), as what-if shows them.
    /// </summary>
    public static readonly IReadOnlySet<string> ReadingLinkedOutputs = new HashSet<string>
    {
        "fork2021-application-gateway-demo-setup/azuredeploy.json",
        "fork2021-application-gateway-webapp-iprestriction/azuredeploy.json",
        "fork2021-sas-viya/azuredeploy.json",
        "fork2021-traffic-manager-application-gateway-demo-setup/azuredeployappgw.json",
    };

    public static TheoryData<string> Expanding => new(CorpusTemplates.All.Where(t => !ExpectedFailures.ContainsKey(t)));

    public static TheoryData<string> Failing => new(ExpectedFailures.Keys);

    [Theory]
    [MemberData(nameof(Expanding))]
    public void Template_expands_with_its_application_gateway(string template)
    {
        var expanded = CorpusTemplates.Expand(template);

        Assert.Contains(expanded.Resources, r => string.Equals(r.Type, "Microsoft.Network/applicationGateways", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Expanding))]
    public void Only_values_that_read_linked_deployment_outputs_are_deferred(string template)
    {
        var expanded = CorpusTemplates.Expand(template);

        Assert.Equal(ReadingLinkedOutputs.Contains(template), expanded.DeferredPaths.Count > 0);
        var unevaluated = expanded.Resources.Select(r => r.Body).Append(expanded.Outputs).SelectMany(Strings).Where(IsExpression).ToList();
        Assert.Equal(expanded.DeferredPaths.Count, unevaluated.Count);
        Assert.All(unevaluated, text => Assert.Contains("reference(", text, StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Strings(p.Value)),
        JsonArray array => array.SelectMany(Strings),
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    private static bool IsExpression(string text) => text.StartsWith('[') && text.EndsWith(']') && !text.StartsWith("[[", StringComparison.Ordinal);

    /// <summary>
    /// The stored qs-application-gateway-create parameter file predates its template and sets a parameter the template no
    /// longer declares: Azure refuses that pair, and so does the expansion (the harness deploys it without that parameter,
    /// see <see cref="CorpusTemplates.ParameterFilesOlderThanTemplate"/>).
    /// </summary>
    [Fact]
    public void The_create_quickstart_with_its_older_parameter_file_is_refused_as_Azure_refuses_it()
    {
        const string template = "qs-application-gateway-create/azuredeploy.json";
        var parsed = (JsonObject)Jsonc.Parse(CorpusTemplates.Read(template));
        var parameters = ParameterArguments.Merge(parsed, [CorpusTemplates.Read(CorpusTemplates.ParameterFile(template)!)]);

        var error = Assert.Throws<ArmException>(() => TemplateExpander.Expand(parsed, parameters, CorpusTemplates.Scope)).Error;

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Contains("The template parameters 'applicationGatewaySize' in the parameters file are not valid; they are not present in the original template", error.Message);
    }

    [Theory]
    [MemberData(nameof(Failing))]
    public void Template_fails_with_its_documented_reason(string template)
    {
        var error = Assert.Throws<ArmException>(() => CorpusTemplates.Expand(template)).Error;

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Contains(ExpectedFailures[template], error.Message);
    }

    [Fact]
    public void Corpus_holds_the_forty_templates_of_its_index_and_the_broken_revision()
    {
        Assert.Equal(41, CorpusTemplates.All.Count);
        Assert.Subset(CorpusTemplates.All.ToHashSet(), ExpectedFailures.Keys.ToHashSet());
    }
}
