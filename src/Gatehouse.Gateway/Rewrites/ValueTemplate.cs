using System.Text;
using System.Text.RegularExpressions;

namespace Gatehouse.Gateway.Rewrites;

/// <summary>
/// A rewrite value such as <c>{http_resp_Location_1}://contoso.com{http_resp_Location_2}</c>, split once at
/// compile time into literal text, variables, headers and captures.
/// </summary>
internal sealed partial class ValueTemplate
{
    private readonly ValueSource[] _parts;

    private ValueTemplate(ValueSource[] parts) => _parts = parts;

    /// <param name="conditionVariables">The rule's condition variables, by index, so <c>{name_N}</c> can refer to their captures.</param>
    public static ValueTemplate Parse(string? text, IReadOnlyList<string> conditionVariables, string target)
    {
        var parts = new List<ValueSource>();
        var literal = new StringBuilder();
        var position = 0;
        text ??= "";
        while (position < text.Length)
        {
            var open = text.IndexOf('{', position);
            var close = open < 0 ? -1 : text.IndexOf('}', open + 1);
            var source = close < 0 ? null : Reference(text[(open + 1)..close], conditionVariables, target);
            if (source is null)
            {
                // Not a variable: braces stay literal text.
                var end = close < 0 ? text.Length : close + 1;
                literal.Append(text, position, end - position);
                position = end;
                continue;
            }
            literal.Append(text, position, open - position);
            if (literal.Length > 0) parts.Add(new LiteralValue(literal.ToString()));
            literal.Clear();
            parts.Add(source);
            position = close + 1;
        }
        if (literal.Length > 0) parts.Add(new LiteralValue(literal.ToString()));
        return new ValueTemplate([.. parts]);
    }

    /// <summary>Whether the value carries client-certificate data, so its header must never come from the client.</summary>
    public bool ReadsClientCertificate => _parts.Any(p => p is ServerVariableValue { IsClientCertificate: true });

    public string Evaluate(RequestScope scope, Match?[] captures)
    {
        switch (_parts.Length)
        {
            case 0: return "";
            case 1: return _parts[0].Evaluate(scope, captures);
        }
        var values = new string[_parts.Length];
        for (var i = 0; i < _parts.Length; i++) values[i] = _parts[i].Evaluate(scope, captures);
        return string.Concat(values);
    }

    private static ValueSource? Reference(string reference, IReadOnlyList<string> conditionVariables, string target)
    {
        if (CaptureReference().Match(reference) is { Success: true } capture)
        {
            var condition = IndexOf(conditionVariables, capture.Groups["variable"].Value);
            if (condition >= 0) return new CaptureValue(condition, int.Parse(capture.Groups["group"].ValueSpan));
        }
        return ValueSource.ParseVariable(reference, target);
    }

    private static int IndexOf(IReadOnlyList<string> variables, string variable)
    {
        for (var i = 0; i < variables.Count; i++)
            if (variables[i] == variable) return i;
        return -1;
    }

    [GeneratedRegex(@"^(?<variable>.+)_(?<group>[0-9]{1,2})$")]
    private static partial Regex CaptureReference();
}
