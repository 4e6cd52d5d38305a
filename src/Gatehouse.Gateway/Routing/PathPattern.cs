namespace Gatehouse.Gateway.Routing;

/// <summary>
/// One path of a path rule: <c>/images/*</c> takes every path under the prefix, anything else takes that path
/// exactly. Case-insensitive, as Azure matches paths.
/// </summary>
internal sealed class PathPattern
{
    private readonly string _text;
    private readonly bool _isPrefix;

    public PathPattern(string path)
    {
        _isPrefix = path.EndsWith('*');
        _text = _isPrefix ? path[..^1] : path;
    }

    /// <param name="remainder">The path after the matched prefix; empty for an exact match.</param>
    public bool TryMatch(string path, out string remainder)
    {
        var matches = _isPrefix
            ? path.StartsWith(_text, StringComparison.OrdinalIgnoreCase)
            : path.Equals(_text, StringComparison.OrdinalIgnoreCase);
        remainder = matches ? path[_text.Length..] : "";
        return matches;
    }
}
