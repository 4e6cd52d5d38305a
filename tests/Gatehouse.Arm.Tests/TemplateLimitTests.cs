using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Arm.Expressions;
using Gatehouse.Errors;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

/// <summary>
/// ARM's template limits, and that no template, however deep or large, can exhaust the stack or the memory of the
/// process expanding it: each is refused with an ARM error instead.
/// </summary>
public sealed class TemplateLimitTests
{
    private static string Nested(string function, int depth, string innermost = "'x'") =>
        new StringBuilder().Insert(0, $"{function}(", depth).Append(innermost).Append(')', depth).ToString();

    private static JsonObject WithOutput(string value) =>
        new() { ["outputs"] = new JsonObject { ["result"] = new JsonObject { ["type"] = "string", ["value"] = value } } };

    private static ArmError Refused(JsonObject template, JsonObject? parameters = null) =>
        Assert.Throws<ArmException>(() => TemplateExpander.Expand(template, parameters, Scope)).Error;

    /// <summary>Runs on a thread with far less stack than a thread-pool thread's 1.5 MB, as a deep template would meet it.</summary>
    private static T OnSmallStack<T>(Func<T> run)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = run();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    [Fact]
    public void Twenty_thousand_nested_concat_calls_are_refused_as_too_long_an_expression()
    {
        var error = Refused(WithOutput($"[{Nested("concat", 20_000)}]"));

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Contains("over the limit of '24576' characters", error.Message);
    }

    [Fact]
    public void Parsing_twenty_thousand_nested_calls_stops_at_the_nesting_limit_without_recursing_into_them()
    {
        var error = Assert.Throws<ExpressionException>(() => Parser.Parse(Nested("concat", 20_000)));

        Assert.Contains($"nests more than {TemplateLimits.MaxExpressionDepth} levels deep", error.Message);
    }

    [Fact]
    public async Task An_expression_nested_to_the_limit_evaluates_on_a_thread_pool_thread()
    {
        var template = WithOutput($"[{Nested("concat", TemplateLimits.MaxExpressionDepth - 1)}]");

        var outputs = await Task.Run(() => TemplateExpander.Expand(template, null, Scope).Outputs);

        Assert.Equal("x", outputs["result"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void On_a_small_stack_deep_nesting_is_refused_with_an_ARM_error_instead_of_overflowing()
    {
        // Within every limit, yet deeper than 256 KB of stack holds: the stack guard, not a crash, must stop it.
        var variables = new JsonObject { ["v0"] = "x" };
        for (var i = 1; i < TemplateLimits.MaxVariables; i++) variables[$"v{i}"] = $"[{Nested("concat", 20, $"variables('v{i - 1}')")}]";
        var template = WithOutput($"[variables('v{TemplateLimits.MaxVariables - 1}')]");
        template["variables"] = variables;

        var error = Assert.Throws<ArmException>(() => OnSmallStack(() => TemplateExpander.Expand(template, null, Scope))).Error;

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Contains("too deeply to be evaluated", error.Message);
    }

    [Fact]
    public void Twenty_thousand_variables_that_each_read_the_next_are_refused_by_the_variables_limit()
    {
        var variables = new JsonObject();
        for (var i = 0; i < 20_000; i++) variables[$"v{i}"] = i == 19_999 ? "end" : $"[variables('v{i + 1}')]";
        var template = WithOutput("[variables('v0')]");
        template["variables"] = variables;

        var error = Refused(template);

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Equal("The number of template variables limit exceeded. Limit: '256' and actual: '20000'. Please see https://aka.ms/arm-template-limits for usage details.", error.Message);
    }

    [Fact]
    public async Task A_chain_of_256_variables_resolves_on_a_thread_pool_thread()
    {
        var variables = new JsonObject();
        for (var i = 0; i < TemplateLimits.MaxVariables; i++) variables[$"v{i}"] = i == TemplateLimits.MaxVariables - 1 ? "end" : $"[variables('v{i + 1}')]";
        var template = WithOutput("[variables('v0')]");
        template["variables"] = variables;

        var outputs = await Task.Run(() => TemplateExpander.Expand(template, null, Scope).Outputs);

        Assert.Equal("end", outputs["result"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void A_string_doubled_28_times_is_refused_at_the_value_size_limit()
    {
        var variables = new JsonObject { ["d0"] = "xxxxxxxxxxxxxxxx" };
        for (var i = 1; i <= 28; i++) variables[$"d{i}"] = $"[concat(variables('d{i - 1}'), variables('d{i - 1}'))]";
        var template = WithOutput("[variables('d28')]");
        template["variables"] = variables;

        var error = Refused(template);

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.Contains($"produced a value larger than the limit of {TemplateLimits.MaxValueSize} characters", error.Message);
    }

    [Fact]
    public void An_800_by_800_copy_of_long_strings_is_refused_by_the_job_size_limit()
    {
        var template = Parse("""
            { "resources": [ { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": "[concat('ip', copyIndex())]",
                "copy": { "name": "ips", "count": 800 },
                "properties": { "copy": [ { "name": "tags", "count": 800, "input": "[padLeft('x', 1000)]" } ] } } ] }
            """);

        var error = Refused(template);

        Assert.Equal("DeploymentJobSizeExceeded", error.Code);
        Assert.Contains("more than 32 MB", error.Message);
    }

    [Fact]
    public void An_800_by_800_variable_copy_is_refused_by_the_job_size_limit()
    {
        var template = WithOutput("[string(length(variables('grid')))]");
        template["variables"] = Parse("""
            { "copy": [ { "name": "grid", "count": 800, "input": { "copy": [ { "name": "row", "count": 800, "input": "[padLeft('x', 1000)]" } ] } } ] }
            """);

        Assert.Equal("DeploymentJobSizeExceeded", Refused(template).Code);
    }

    [Fact]
    public void More_than_800_resources_after_copy_expansion_are_refused()
    {
        var template = Parse("""
            { "resources": [
                { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": "[concat('a', copyIndex())]", "copy": { "name": "a", "count": 800 } },
                { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": "one-more" } ] }
            """);

        var error = Refused(template);

        Assert.Equal("InvalidTemplate", error.Code);
        Assert.StartsWith("The number of template resources limit exceeded. Limit: '800'", error.Message);
        Assert.Equal("resources[1]", error.Target);
    }

    [Fact]
    public void Exactly_800_resources_are_accepted()
    {
        var template = Parse("""
            { "resources": [ { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": "[concat('a', copyIndex())]", "copy": { "name": "a", "count": 800 } } ] }
            """);

        Assert.Equal(800, TemplateExpander.Expand(template, null, Scope).Resources.Count);
    }

    [Theory]
    [InlineData("parameters", 257)]
    [InlineData("outputs", 65)]
    public void A_section_over_ARM_s_limit_is_refused_with_ARM_s_message(string section, int count)
    {
        var entries = new JsonObject();
        for (var i = 0; i < count; i++) entries[$"e{i}"] = new JsonObject { ["type"] = "string", ["defaultValue"] = "x", ["value"] = "x" };
        var template = new JsonObject { [section] = entries };

        var error = Refused(template);

        Assert.Equal($"The number of template {section} limit exceeded. Limit: '{count - 1}' and actual: '{count}'. Please see https://aka.ms/arm-template-limits for usage details.", error.Message);
    }

    [Fact]
    public void A_copy_count_over_800_is_refused_with_ARM_s_message()
    {
        var template = Parse("""{ "outputs": { "o": { "type": "array", "copy": { "count": 801, "input": "x" } } } }""");

        var error = Refused(template);

        Assert.Equal("The template 'copy' definition at 'outputs.o.copy' has an invalid copy count. The copy count must be a non-negative integer value and cannot exceed '800'. "
            + "Please see https://aka.ms/arm-copy for usage details.", error.Message);
    }

    [Fact]
    public void An_expression_of_exactly_24576_characters_is_evaluated_and_one_more_is_refused()
    {
        string Literal(int length) => $"['{new string('a', length - 4)}']";

        Assert.Equal(TemplateLimits.MaxExpressionLength - 4, EvaluateText(Literal(TemplateLimits.MaxExpressionLength)).Length);
        Assert.Contains("over the limit of '24576' characters", EvaluationError(Literal(TemplateLimits.MaxExpressionLength + 1)).Message);
    }

    [Theory]
    [InlineData("[replace(padLeft('', 16000, 'a'), 'a', padLeft('', 16000, 'b'))]")]
    [InlineData("[format('{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}', replace(padLeft('', 16000, 'a'), 'a', padLeft('', 16, 'b')))]")]
    [InlineData("[join(createArray(replace(padLeft('', 16000, 'a'), 'a', padLeft('', 200, 'b')), 'x'), replace(padLeft('', 16000, 'a'), 'a', padLeft('', 200, 'b')))]")]
    [InlineData("[split(replace(padLeft('', 16000, 'a'), 'a', padLeft('', 200, 'b')), 'b')]")]
    public void Functions_that_multiply_their_input_stop_at_the_value_size_limit(string expression)
    {
        Assert.Contains($"larger than the limit of {TemplateLimits.MaxValueSize} characters", EvaluationError(expression).Message);
    }

    [Fact]
    public void Replacing_an_empty_string_is_an_ARM_error()
    {
        Assert.Contains("the string to replace cannot be empty", EvaluationError("[replace('abc', '', 'x')]").Message);
    }

    [Fact]
    public void A_value_nested_deeper_than_JSON_allows_is_refused()
    {
        var error = EvaluationError("[reduce(range(0, 100), createArray(), lambda('nested', 'i', createArray(lambdaVariables('nested'))))]");

        Assert.Contains($"nested more than {TemplateLimits.MaxValueDepth} levels deep", error.Message);
    }
}
