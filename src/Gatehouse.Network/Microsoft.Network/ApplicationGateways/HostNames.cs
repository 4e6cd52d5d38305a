using Gatehouse.Errors;
using static Gatehouse.Network.PropertyPaths;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>A listener's host names (appgw-behaviour §5.3): <c>hostName</c> or up to five <c>hostNames</c> with wildcards.</summary>
internal static class HostNames
{
    public const int MaxPerListener = 5;
    private const int MaxWildcardsPerName = 4;
    private const int MaxStarsPerName = 2;

    /// <param name="item">The listener's path, <c>properties.httpListeners[0]</c>.</param>
    public static void Validate(string listenerId, string item, string? hostName, IReadOnlyList<string> hostNames, ArmErrorList errors)
    {
        if (!string.IsNullOrEmpty(hostName) && hostNames.Count > 0)
            errors.Add(ArmErrors.ListenerHostNameAndHostNames(Of(item, "hostNames"), listenerId));
        if (hostNames.Count > MaxPerListener)
            errors.Add(ArmErrors.ListenerTooManyHostNames(Of(item, "hostNames"), listenerId, hostNames.Count, MaxPerListener));
        if (hostName is { Length: > 0 } && hostName.IndexOfAny(['*', '?']) >= 0)
            errors.Add(ArmErrors.ListenerHostNameWithWildcard(Of(item, "hostName"), listenerId, hostName));
        else if (hostName is { Length: > 0 } && Problem(hostName) is { } problem)
            errors.Add(ArmErrors.ListenerInvalidHostName(Of(item, "hostName"), listenerId, hostName, problem));
        foreach (var (name, index) in hostNames.Select((n, i) => (n, i)))
            if (Problem(name) is { } nameProblem)
                errors.Add(ArmErrors.ListenerInvalidHostName($"{Of(item, "hostNames")}[{index}]", listenerId, name, nameProblem));
    }

    private static string? Problem(string name)
    {
        if (name.Length == 0) return "it is empty";
        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '*' or '?')))
            return "only letters, digits, '-', '.', '*' and '?' are allowed";
        if (name.Contains("**") || name.Contains("*?") || name.Contains("?*"))
            return "'**', '*?' and '?*' are not allowed";
        if (name.Count(c => c == '*') > MaxStarsPerName)
            return $"at most {MaxStarsPerName} '*' are allowed";
        if (name.Count(c => c is '*' or '?') > MaxWildcardsPerName)
            return $"at most {MaxWildcardsPerName} wildcard characters are allowed";
        if (name.Split('.').Any(label => label.Count(c => c == '*') > 1))
            return "'*' may appear at most once per label";
        return null;
    }
}
