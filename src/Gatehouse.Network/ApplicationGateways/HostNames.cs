using Gatehouse.Errors;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>A listener's host names (appgw-behaviour §5.3): <c>hostName</c> or up to five <c>hostNames</c> with wildcards.</summary>
internal static class HostNames
{
    public const int MaxPerListener = 5;
    private const int MaxWildcardsPerName = 4;
    private const int MaxStarsPerName = 2;

    public static void Validate(string listenerId, string? hostName, IReadOnlyList<string> hostNames)
    {
        if (!string.IsNullOrEmpty(hostName) && hostNames.Count > 0)
            throw new ArmException("ApplicationGatewayHttpListenerHostNameAndHostNamesCannotBeSpecifiedTogether",
                $"The HTTP listener {listenerId} specifies both hostName and hostNames; use one of them.", listenerId);
        if (hostNames.Count > MaxPerListener)
            throw new ArmException("ApplicationGatewayHttpListenerTooManyHostNames",
                $"The HTTP listener {listenerId} has {hostNames.Count} host names; a listener takes at most {MaxPerListener}.", listenerId);
        if (hostName is { Length: > 0 } && hostName.IndexOfAny(['*', '?']) >= 0)
            throw new ArmException("ApplicationGatewayHttpListenerHostNameCannotHaveWildcard",
                $"The host name '{hostName}' of the HTTP listener {listenerId} has a wildcard; wildcards are allowed only in hostNames.", listenerId);
        foreach (var name in hostName is { Length: > 0 } ? [hostName, .. hostNames] : hostNames)
            if (Problem(name) is { } problem)
                throw new ArmException("ApplicationGatewayHttpListenerInvalidHostName",
                    $"The host name '{name}' of the HTTP listener {listenerId} is not valid: {problem}.", listenerId);
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
