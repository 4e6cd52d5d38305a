using System.Globalization;

namespace Gatehouse.Network.ApplicationGateways;

/// <summary>
/// A custom health probe. <see cref="Host"/> is sent as Host header and SNI; <see cref="Port"/> <c>null</c> means the
/// backend settings' port (appgw-behaviour §5.9).
/// </summary>
public sealed record Probe(
    string Id,
    string Name,
    ListenerProtocol Protocol,
    string? Host,
    string Path,
    int IntervalSeconds,
    int TimeoutSeconds,
    int UnhealthyThreshold,
    bool PickHostNameFromBackendHttpSettings,
    int MinServers,
    ProbeMatch Match,
    int? Port);

/// <summary>
/// What a healthy answer looks like: a status in one of <see cref="StatusCodes"/> (<c>200</c> or ranges such as
/// <c>200-399</c>) and, when <see cref="Body"/> is set, a body that contains it.
/// </summary>
public sealed record ProbeMatch(string? Body, IReadOnlyList<string> StatusCodes)
{
    public static readonly IReadOnlyList<string> DefaultStatusCodes = ["200-399"];
}

/// <summary>One <c>match.statusCodes</c> entry: <c>200</c> or <c>200-399</c>, statuses 100 to 999.</summary>
public readonly record struct StatusCodeRange(int From, int To)
{
    /// <summary>The range <paramref name="text"/> writes, or <c>null</c> when it is not one.</summary>
    public static StatusCodeRange? Parse(string text)
    {
        var dash = text.IndexOf('-');
        var (from, to) = dash < 0 ? (text, text) : (text[..dash], text[(dash + 1)..]);
        return int.TryParse(from.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var low)
            && int.TryParse(to.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var high)
            && low is >= 100 and <= 999 && high >= low && high <= 999
                ? new StatusCodeRange(low, high)
                : null;
    }

    public override string ToString() => From == To
        ? From.ToString(CultureInfo.InvariantCulture)
        : $"{From.ToString(CultureInfo.InvariantCulture)}-{To.ToString(CultureInfo.InvariantCulture)}";
}
