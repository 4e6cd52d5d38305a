namespace Gatehouse.Gateway.Routing;

/// <summary>
/// A listener host name with wildcards: <c>*</c> matches any run of characters including dots
/// (<c>*.contoso.com</c> takes <c>a.b.contoso.com</c>), <c>?</c> exactly one; case-insensitive, no regex.
/// </summary>
internal sealed class HostPattern(string pattern)
{
    public static bool IsWildcard(string hostName) => hostName.AsSpan().IndexOfAny('*', '?') >= 0;

    public bool Matches(ReadOnlySpan<char> host)
    {
        ReadOnlySpan<char> glob = pattern;
        int g = 0, h = 0, starGlob = -1, starHost = 0;
        while (h < host.Length)
        {
            if (g < glob.Length && (glob[g] == '?' || char.ToLowerInvariant(glob[g]) == char.ToLowerInvariant(host[h])))
            {
                g++;
                h++;
            }
            else if (g < glob.Length && glob[g] == '*')
            {
                starGlob = g++;
                starHost = h;
            }
            else if (starGlob >= 0)
            {
                g = starGlob + 1;
                h = ++starHost;
            }
            else
            {
                return false;
            }
        }
        while (g < glob.Length && glob[g] == '*') g++;
        return g == glob.Length;
    }
}
