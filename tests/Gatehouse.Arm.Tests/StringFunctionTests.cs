using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

public sealed class StringFunctionTests
{
    [Theory]
    [InlineData("[string(12)]", "12")]
    [InlineData("[string(true())]", "True")]
    [InlineData("[string(createObject('a', 1))]", """{"a":1}""")]
    [InlineData("[toLower('AbC')]", "abc")]
    [InlineData("[toUpper('AbC')]", "ABC")]
    [InlineData("[trim('  x ')]", "x")]
    [InlineData("[replace('a-b-c', '-', '/')]", "a/b/c")]
    [InlineData("[format('{0}-{1:D3}-{2}', 'gw', 7, true())]", "gw-007-True")]
    [InlineData("[substring('gateway', 4)]", "way")]
    [InlineData("[substring('gateway', 0, 4)]", "gate")]
    [InlineData("[padLeft('7', 3, '0')]", "007")]
    [InlineData("[base64('one, two')]", "b25lLCB0d28=")]
    [InlineData("[base64ToString('b25lLCB0d28=')]", "one, two")]
    [InlineData("[concat('port', 443, true())]", "port443True")]
    public void Produces_the_expected_text(string expression, string expected)
    {
        Assert.Equal(expected, EvaluateText(expression));
    }

    [Fact]
    public void Split_on_a_string_or_several_delimiters()
    {
        Assert.Equal(["a", "b", "c"], Evaluate("[split('a,b;c', createArray(',', ';'))]")!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["a", "", "b"], Evaluate("[split('a,,b', ',')]")!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Prefix_suffix_and_index_searches_ignore_case()
    {
        Assert.True(Evaluate("[startsWith('Microsoft.Network', 'microsoft.')]")!.GetValue<bool>());
        Assert.True(Evaluate("[endsWith('appGw', 'GW')]")!.GetValue<bool>());
        Assert.Equal(3, Evaluate("[indexOf('xyzABC', 'a')]")!.GetValue<long>());
        Assert.Equal(3, Evaluate("[lastIndexOf('abcABC', 'a')]")!.GetValue<long>());
        Assert.Equal(-1, Evaluate("[indexOf('abc', 'z')]")!.GetValue<long>());
    }

    [Fact]
    public void Substring_past_the_end_is_an_error()
    {
        Assert.Contains("runs past the end", EvaluationError("[substring('abc', 1, 5)]").Message);
    }

    [Fact]
    public void Format_referring_to_a_missing_argument_is_an_error()
    {
        Assert.Contains("format string", EvaluationError("[format('{1}', 'only')]").Message);
    }
}
