using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Arm;

/// <summary>JSON as ARM accepts it: // and /* */ comments and trailing commas allowed.</summary>
public static class Jsonc
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static JsonNode Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: Lenient) ?? throw new ArmException("InvalidTemplate", "The JSON text is 'null', not a value.");
        }
        catch (JsonException e)
        {
            throw new ArmException("InvalidTemplate",
                $"The JSON is not valid at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}");
        }
    }

    /// <summary>System.Text.Json appends its own path and position; keep only the description.</summary>
    private static string FirstSentence(string message)
    {
        var end = new[] { " Path:", " LineNumber:" }.Select(marker => message.IndexOf(marker, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(message.Length).Min();
        return message[..end];
    }
}
