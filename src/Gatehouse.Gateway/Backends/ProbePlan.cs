using System.Globalization;
using Gatehouse.Errors;

namespace Gatehouse.Gateway.Backends;

/// <summary>
/// A health probe compiled (custom, or the default one of appgw-behaviour §5.9): its timing, and what a healthy
/// answer is: a status in <see cref="Statuses"/> and, when <see cref="Body"/> is set, a body containing it.
/// </summary>
internal sealed record ProbePlan(TimeSpan Interval, TimeSpan Timeout, int UnhealthyThreshold, IReadOnlyList<StatusRange> Statuses, string? Body)
{
    /// <summary>GET <c>/</c> every 30 s, 30 s timeout, down after 3 failures, healthy on 200-399.</summary>
    public static ProbePlan Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), 3, [new StatusRange(200, 399)], null);

    /// <summary>The statuses as the probe setting writes them, for Azure's mismatch message.</summary>
    public string StatusText => string.Join(",", Statuses);

    public bool Accepts(int status) => Statuses.Any(r => status >= r.From && status <= r.To);

    /// <summary><c>200</c> or <c>200-399</c>, as <c>match.statusCodes</c> entries are written.</summary>
    public static StatusRange ParseStatus(string text, string target)
    {
        var dash = text.IndexOf('-');
        var (from, to) = dash < 0 ? (text, text) : (text[..dash], text[(dash + 1)..]);
        if (int.TryParse(from.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var low)
            && int.TryParse(to.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var high)
            && low is >= 100 and <= 999 && high >= low && high <= 999)
            return new StatusRange(low, high);
        throw new ArmException("ApplicationGatewayProbeMatchStatusCodeInvalid",
            $"The status code range '{text}' of the probe must be a status such as 200 or a range such as 200-399.", target);
    }
}

internal readonly record struct StatusRange(int From, int To)
{
    public override string ToString() => From == To
        ? From.ToString(CultureInfo.InvariantCulture)
        : $"{From.ToString(CultureInfo.InvariantCulture)}-{To.ToString(CultureInfo.InvariantCulture)}";
}
