using Microsoft.Extensions.Logging;

namespace Gatehouse.Hosting;

/// <summary>
/// Console logging for <c>serve</c> and <c>up</c>: warnings and errors only; the request path logs nothing per request.
/// ASP.NET Core's hosting diagnostics, which log only request start and finish (information), are off: while their logger is
/// enabled at any level, hosting starts an Activity and a logging scope for every request (about 700 bytes each, bench/allocations.sh).
/// </summary>
public static class Logging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(builder => builder
        .AddSimpleConsole(options => { options.SingleLine = true; options.TimestampFormat = "HH:mm:ss "; })
        .SetMinimumLevel(LogLevel.Warning)
        .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None));
}
