using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Gatehouse.Errors;

namespace Gatehouse.Arm;

/// <summary>
/// JSON as ARM accepts it: // and /* */ comments and trailing commas allowed. Every object, array and value parsed here
/// remembers its line and column, so that errors about a template can point into the file.
/// </summary>
public static class Jsonc
{
    /// <summary>
    /// A property named twice is refused here, as the management API refuses it: System.Text.Json would otherwise only
    /// notice when the object is first read, with an ArgumentException far from the parser.
    /// </summary>
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false };
    private static readonly JsonReaderOptions LenientReader = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly ConditionalWeakTable<JsonNode, StrongBox<(int Line, int Column)>> Positions = new();

    public static JsonNode Parse(string text)
    {
        JsonNode root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: Lenient) ?? throw new ArmException("InvalidTemplate", "The JSON text is 'null', not a value.");
        }
        catch (JsonException e)
        {
            throw new ArmException("InvalidTemplate",
                $"The JSON is not valid at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}");
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, LenientReader);
        reader.Read();
        Record(ref reader, root, new LineStarts(bytes));
        return root;
    }

    /// <summary>The 1-based line and column where a node parsed by <see cref="Parse"/> starts; null for nodes built otherwise.</summary>
    public static (int Line, int Column)? PositionOf(JsonNode node) => Positions.TryGetValue(node, out var position) ? position.Value : null;

    /// <summary>Walks the reader in step with the parsed tree (both are in document order), the reader at the node's first token.</summary>
    private static void Record(ref Utf8JsonReader reader, JsonNode? node, LineStarts lines)
    {
        if (node is not null) Positions.AddOrUpdate(node, new StrongBox<(int, int)>(lines.Position(reader.TokenStartIndex)));
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    Record(ref reader, ((JsonObject)node!)[name], lines);
                }
                break;
            case JsonTokenType.StartArray:
                for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++) Record(ref reader, ((JsonArray)node!)[i], lines);
                break;
        }
    }

    /// <summary>Byte offsets where each line starts, to turn a reader offset into a line and a column.</summary>
    private sealed class LineStarts
    {
        private readonly byte[] _utf8;
        private readonly List<long> _starts = [0];

        public LineStarts(byte[] utf8)
        {
            _utf8 = utf8;
            for (var next = Array.IndexOf(utf8, (byte)'\n'); next >= 0; next = Array.IndexOf(utf8, (byte)'\n', next + 1)) _starts.Add(next + 1);
        }

        public (int Line, int Column) Position(long offset)
        {
            var line = _starts.BinarySearch(offset);
            if (line < 0) line = ~line - 1;
            return (line + 1, Encoding.UTF8.GetCharCount(_utf8, (int)_starts[line], (int)(offset - _starts[line])) + 1);
        }
    }

    /// <summary>System.Text.Json appends its own path and position; keep only the description.</summary>
    private static string FirstSentence(string message)
    {
        var end = new[] { " Path:", " LineNumber:" }.Select(marker => message.IndexOf(marker, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(message.Length).Min();
        return message[..end];
    }
}
