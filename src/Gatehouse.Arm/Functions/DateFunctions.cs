using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.Arm.Expressions;

namespace Gatehouse.Arm.Functions;

/// <summary>
/// utcNow, dateTimeAdd, dateTimeFromEpoch and dateTimeToEpoch. The current time comes from
/// <see cref="ExpansionOptions.UtcNow"/>, never from the clock, and utcNow() is only valid in a parameter's defaultValue.
/// </summary>
internal static partial class DateFunctions
{
    /// <summary>How ARM prints a date when no format is given (en-US general date/time, e.g. 4/7/2023 2:53:14 PM).</summary>
    private const string DefaultFormat = "M/d/yyyy h:mm:ss tt";

    public static IEnumerable<ArmFunction> All { get; } =
    [
        new("utcNow", 0, 1, UtcNow),
        new("dateTimeAdd", 2, 3, DateTimeAdd),
        ArmFunction.Fixed("dateTimeFromEpoch", 1, args => DateTimeOffset.FromUnixTimeSeconds(args.Integer(0)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
        ArmFunction.Fixed("dateTimeToEpoch", 1, args => Parse(args, 0).ToUnixTimeSeconds()),
    ];

    [GeneratedRegex(@"^(?<sign>-)?P(?:(?<Y>\d+)Y)?(?:(?<M>\d+)M)?(?:(?<W>\d+)W)?(?:(?<D>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<m>\d+)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$")]
    private static partial Regex IsoDuration();

    private static JsonNode UtcNow(FunctionArguments args)
    {
        if (!args.Context.InParameterDefault) throw args.Error("utcNow() can only be used in the defaultValue of a parameter.");
        var now = args.Context.Options.UtcNow ?? throw args.Error("the deployment time is not known to this expansion.");
        return Format(args, now, args.Count > 0 ? args.String(0) : "yyyyMMddTHHmmssZ");
    }

    private static JsonNode DateTimeAdd(FunctionArguments args)
    {
        var start = Parse(args, 0);
        var duration = IsoDuration().Match(args.String(1));
        if (!duration.Success || duration.Length <= 2) throw args.Error($"the duration '{args.String(1)}' is not an ISO 8601 duration such as 'P1D' or 'PT1H'.");
        var sign = duration.Groups["sign"].Success ? -1 : 1;
        int Part(string name) => duration.Groups[name].Success ? sign * int.Parse(duration.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = duration.Groups["s"].Success ? sign * double.Parse(duration.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
        var result = start.AddYears(Part("Y")).AddMonths(Part("M")).AddDays(7 * Part("W") + Part("D")).AddHours(Part("h")).AddMinutes(Part("m")).AddSeconds(seconds);
        return Format(args, result, args.Count > 2 ? args.String(2) : DefaultFormat);
    }

    /// <summary>Any ISO 8601 form, including utcNow()'s compact default (20190305T175318Z).</summary>
    private static DateTimeOffset Parse(FunctionArguments args, int index)
    {
        const DateTimeStyles utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        var text = args.String(index);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, utc, out var parsed)
            || DateTimeOffset.TryParseExact(text, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, utc, out parsed)
            ? parsed
            : throw args.Error($"'{text}' is not a date and time.");
    }

    private static string Format(FunctionArguments args, DateTimeOffset value, string format)
    {
        try
        {
            return value.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw args.Error($"the format '{format}' is not a valid date and time format.");
        }
    }
}
