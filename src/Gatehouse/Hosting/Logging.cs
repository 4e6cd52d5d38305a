using Microsoft.Extensions.Logging;

namespace Gatehouse.Hosting;

/// <summary>Console logging for <c>serve</c> and <c>up</c>: warnings and errors only; the request path logs nothing per request.</summary>
public static class Logging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(builder => builder
        .AddSimpleConsole(options => { options.SingleLine = true; options.TimestampFormat = "HH:mm:ss "; })
        .SetMinimumLevel(LogLevel.Warning));
}
