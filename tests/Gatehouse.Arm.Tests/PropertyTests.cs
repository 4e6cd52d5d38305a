using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using Gatehouse.Arm.Expressions;
using static Gatehouse.Arm.Tests.TestTemplates;

namespace Gatehouse.Arm.Tests;

/// <summary>Properties that hold for any input CsCheck generates, shrunk to the smallest counterexample when one does not.</summary>
public sealed class PropertyTests
{
    /// <summary>Text with the characters that matter to JSON and to the expression language: quotes, brackets, escapes, non-ASCII (whole characters: a lone surrogate is no text).</summary>
    private static readonly Gen<string> Text = Gen.String[Gen.Char["ab '\"[](),.\\/\n\té€"], 0, 12];

    private static readonly Gen<string> Identifier = Gen.String[Gen.Char["abcxyzAZ_$019"], 1, 8].Where(name => !char.IsAsciiDigit(name[0]));

    private static Gen<JsonNode?> Json(int depth)
    {
        var leaf = Gen.OneOf(
            Text.Select(text => (JsonNode?)JsonValue.Create(text)),
            Gen.Long.Select(number => (JsonNode?)JsonValue.Create(number)),
            Gen.Bool.Select(flag => (JsonNode?)JsonValue.Create(flag)),
            Gen.Const((JsonNode?)null));
        if (depth == 0) return leaf;
        return Gen.Frequency(
            (3, leaf),
            (1, Json(depth - 1).Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))),
            (1, Gen.Select(Text.Array[0, 4], Json(depth - 1).Array[4], (keys, values) =>
                (JsonNode?)new JsonObject(keys.Distinct().Select((key, i) => KeyValuePair.Create(key, values[i]))))));
    }

    private static Gen<Expression> Expressions(int depth)
    {
        var literal = Gen.OneOf(
            Text.Select(text => (Expression)new LiteralExpression(JsonValue.Create(text))),
            Gen.Long.Select(number => (Expression)new LiteralExpression(JsonValue.Create(number))));
        if (depth == 0) return literal;
        var inner = Expressions(depth - 1);
        return Gen.Frequency(
            (2, literal),
            (2, Gen.Select(Identifier, inner.Array[0, 3], (name, arguments) => (Expression)new FunctionCallExpression(name, arguments))),
            (1, Gen.Select(inner, Identifier, (target, member) => (Expression)new MemberAccessExpression(target, member))),
            (1, Gen.Select(inner, inner, (target, index) => (Expression)new IndexAccessExpression(target, index))));
    }

    /// <summary>The expression as a template author writes it; a literal is only a target of '.' or '[' inside a call.</summary>
    private static string Print(Expression expression) => expression switch
    {
        LiteralExpression { Value: var value } when Values.TryGetString(value, out var text) => Quote(text),
        LiteralExpression { Value: var value } => value.GetValue<long>().ToString(CultureInfo.InvariantCulture),
        FunctionCallExpression call => $"{call.Name}({string.Join(", ", call.Arguments.Select(Print))})",
        MemberAccessExpression access => $"{Print(access.Target)}.{access.Member}",
        IndexAccessExpression access => $"{Print(access.Target)}[{Print(access.Index)}]",
        _ => throw new ArgumentException(expression.GetType().Name),
    };

    private static string Quote(string text) => $"'{text.Replace("'", "''")}'";

    private static bool SameTree(Expression left, Expression right) => (left, right) switch
    {
        (LiteralExpression a, LiteralExpression b) => JsonNode.DeepEquals(a.Value, b.Value),
        (FunctionCallExpression a, FunctionCallExpression b) =>
            a.Name == b.Name && a.Arguments.Count == b.Arguments.Count && a.Arguments.Zip(b.Arguments).All(pair => SameTree(pair.First, pair.Second)),
        (MemberAccessExpression a, MemberAccessExpression b) => a.Member == b.Member && SameTree(a.Target, b.Target),
        (IndexAccessExpression a, IndexAccessExpression b) => SameTree(a.Target, b.Target) && SameTree(a.Index, b.Index),
        _ => false,
    };

    [Fact]
    public void Any_JSON_value_written_compact_or_indented_reads_back_the_same()
    {
        Json(3).Where(node => node is JsonObject or JsonArray).Sample(node =>
        {
            Assert.True(JsonNode.DeepEquals(node, Jsonc.Parse(node!.ToJsonString())));
            Assert.True(JsonNode.DeepEquals(node, Jsonc.Parse(node.ToJsonString(new() { WriteIndented = true }))));
        }, iter: 500);
    }

    [Fact]
    public void Comments_and_trailing_commas_between_tokens_do_not_change_what_JSONC_reads()
    {
        Json(3).Where(node => node is JsonObject or JsonArray).Sample(node =>
        {
            var indented = node!.ToJsonString(new() { WriteIndented = true });
            // Every line break of the indented form lies between tokens, where JSONC allows comments; a ',' before a
            // closing bracket on its own line is a trailing comma.
            var annotated = string.Join("\n", indented.Split('\n').Select(line =>
                line.TrimStart() is "]" or "}" or "]," or "}," ? $"/* c */ {line}" : $"{line} // c"));
            var withTrailingCommas = annotated.Replace("// c\n  ]", "// c\n,  ]");
            Assert.True(JsonNode.DeepEquals(node, Jsonc.Parse(withTrailingCommas)), withTrailingCommas);
        }, iter: 300);
    }

    [Fact]
    public void Any_expression_printed_back_parses_to_the_same_tree()
    {
        Expressions(3).Where(expression => expression is FunctionCallExpression).Sample(expression =>
        {
            var printed = Print(expression);
            Assert.True(SameTree(expression, Parser.Parse(printed)), printed);
        }, iter: 1000);
    }

    [Fact]
    public void Any_text_quoted_is_one_string_token_holding_that_text()
    {
        Text.Sample(text =>
        {
            var tokens = Tokenizer.Tokenize(Quote(text));
            Assert.Equal([TokenKind.String, TokenKind.End], tokens.Select(t => t.Kind));
            Assert.Equal(text, tokens[0].Text);
        }, iter: 500);
    }

    [Fact]
    public void String_functions_keep_their_invariants_for_any_text()
    {
        Gen.Select(Text, Gen.Int[0, 40]).Sample((text, width) =>
        {
            var quoted = Quote(text);
            var padded = EvaluateText($"[padLeft({quoted}, {width}, '*')]");
            Assert.Equal(Math.Max(text.Length, width), padded.Length);
            Assert.EndsWith(text, padded);
            Assert.Equal(text, EvaluateText($"[base64ToString(base64({quoted}))]"));
            Assert.Equal(text, EvaluateText($"[uriComponentToString(uriComponent({quoted}))]"));
            Assert.Equal(text, EvaluateText($"[join(split({quoted}, ','), ',')]"));
            Assert.Equal(text.Length, Evaluate($"[length({quoted})]")!.GetValue<long>());
            Assert.Equal(text.ToUpperInvariant(), EvaluateText($"[toUpper({quoted})]"));
            Assert.Equal(text, EvaluateText($"[replace({quoted}, '~absent~', 'x')]"));
            Assert.Equal(text, EvaluateText($"[concat(substring({quoted}, 0, {text.Length / 2}), substring({quoted}, {text.Length / 2}))]"));
        }, iter: 300);
    }
}
