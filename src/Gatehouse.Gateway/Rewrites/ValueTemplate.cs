using System.Text;
using System.Text.RegularExpressions;
using Gatehouse.Network.ApplicationGateways;

namespace Gatehouse.Gateway.Rewrites;

/// <summary>
/// A rewrite value such as <c>{http_resp_Location_1}://contoso.com{http_resp_Location_2}</c>, split once at
/// compile time into literal text, variables, headers and captures.
/// </summary>
internal sealed class ValueTemplate
{
    private readonly ValueSource[] _parts;

    private ValueTemplate(ValueSource[] parts) => _parts = parts;

    /// <param name="conditionVariables">The rule's condition variables, by index, so <c>{name_N}</c> can refer to their captures.</param>
    public static ValueTemplate Parse(string? text, IReadOnlyList<string> conditionVariables)
    {
        var parts = new List<ValueSource>();
        var literal = new StringBuilder();
        foreach (var (segment, isReference) in ServerVariableNames.Segments(text ?? ""))
        {
            var source = isReference ? Reference(segment, conditionVariables) : null;
            if (source is null)
            {
                // Not a variable: braces stay literal text.
                literal.Append(isReference ? $"{{{segment}}}" : segment);
                continue;
            }
            if (literal.Length > 0) parts.Add(new LiteralValue(literal.ToString()));
            literal.Clear();
            parts.Add(source);
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

    private static ValueSource? Reference(string reference, IReadOnlyList<string> conditionVariables) =>
        ServerVariableNames.Capture(reference, conditionVariables) is var (condition, group)
            ? new CaptureValue(condition, group)
            : ValueSource.ParseVariable(reference);
}
