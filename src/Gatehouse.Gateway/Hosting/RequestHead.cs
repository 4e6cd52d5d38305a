using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Gatehouse.Gateway.Hosting;

/// <summary>
/// The request line and headers of a connection's first request, read as sent (Latin-1 octets), and whether Kestrel
/// will refuse the request itself, before any application code runs, where nginx (Azure's data plane) does not.
/// </summary>
internal sealed partial record RequestHead(string Method, string Target, string Version, IReadOnlyList<(string Name, string Value)> Headers)
{
    private static readonly SearchValues<char> KestrelHostCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:[]");

    public string? Host => Header("Host");

    /// <summary>HTTP/2.0 and later in a request line: Kestrel answers 505, as nginx does.</summary>
    [GeneratedRegex(@"^HTTP/[2-9](\.[0-9])?$")]
    private static partial Regex NewerVersion();

    public string Path => Target.IndexOf('?') is var query and >= 0 ? Target[..query] : Target;

    public KestrelRefusal Refusal
    {
        get
        {
            if (Version is not ("HTTP/1.0" or "HTTP/1.1"))
                return NewerVersion().IsMatch(Version) ? KestrelRefusal.None : KestrelRefusal.UnsupportedVersion;
            // nginx refuses a target in neither origin nor absolute form itself, as Kestrel does.
            if (!(Target.StartsWith('/') || Target == "*" || Target.Contains("://", StringComparison.Ordinal))) return KestrelRefusal.None;
            // Kestrel's LengthRequiredHttp10: it cannot tell where such a body ends; nginx reads it as having none.
            if (Version == "HTTP/1.0" && Method is "POST" or "PUT" && Header("Content-Length") is null && Header("Transfer-Encoding") is null)
                return KestrelRefusal.LengthRequired;
            if (Host is { } host && host.AsSpan().ContainsAnyExcept(KestrelHostCharacters)) return KestrelRefusal.InvalidHost;
            return KestrelRefusal.None;
        }
    }

    private string? Header(string name)
    {
        foreach (var (headerName, value) in Headers)
            if (headerName.Equals(name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }

    /// <summary>
    /// False while the head is incomplete. True once it ends (an empty line; Kestrel, as nginx, takes a bare LF for a
    /// line end) or cannot be a head: then <paramref name="head"/> is the head, or null for one whose form both Kestrel
    /// and nginx refuse (400), which nothing here judges.
    /// </summary>
    public static bool TryRead(ReadOnlySequence<byte> buffer, out RequestHead? head)
    {
        head = null;
        var text = Encoding.Latin1.GetString(buffer);
        var lines = new List<string>();
        var start = 0;
        while (true)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) return false;
            var line = text[start..(end > start && text[end - 1] == '\r' ? end - 1 : end)];
            start = end + 1;
            if (line.Length == 0) break;
            lines.Add(line);
        }
        if (lines.Count == 0) return true;
        var requestLine = lines[0].Split(' ');
        if (requestLine is not [var method, var target, var version]) return true;
        var headers = new List<(string, string)>(lines.Count - 1);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) return true;
            headers.Add((line[..colon], line[(colon + 1)..].Trim(HeaderWhitespace)));
        }
        head = new RequestHead(method, target, version, headers);
        return true;
    }

    private static readonly char[] HeaderWhitespace = [' ', '\t'];
}

internal enum KestrelRefusal
{
    None,

    /// <summary>A version other than HTTP/1.x or 2.0 and later (such as HTTP/0.9): Kestrel answers 505, nginx 400 without asking its WAF.</summary>
    UnsupportedVersion,

    /// <summary>POST or PUT over HTTP/1.0 without Content-Length or Transfer-Encoding.</summary>
    LengthRequired,

    /// <summary>A Host with octets outside a host name's (such as <c>%</c>), which nginx passes on to its WAF.</summary>
    InvalidHost,
}
