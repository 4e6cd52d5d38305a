using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Gateway.Tests.Support;

/// <summary>
/// A backend on 127.0.0.1 that answers every request with its request target as sent and the headers it received,
/// as JSON. Header values are octets (Latin-1) both ways; it answers a request's <see cref="ReflectHeader"/> value in
/// its response's, so that tests see what the gateway does to response headers too.
/// </summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Counter _requests;

    private EchoBackend(WebApplication app, int port, Counter requests)
    {
        _app = app;
        Port = port;
        _requests = requests;
    }

    /// <summary>Requests forwarded by the gateway (with its trace id), health probes aside.</summary>
    public int Requests => _requests.Value;

    public const string ReflectHeader = "X-Reflect";

    public int Port { get; }

    public static async Task<EchoBackend> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            // Above the gateway's own limits, so that what the gateway forwards is what a test sees.
            o.Limits.MaxRequestLineSize = 64 * 1024;
            o.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            o.RequestHeaderEncodingSelector = _ => Encoding.Latin1;
            o.ResponseHeaderEncodingSelector = _ => Encoding.Latin1;
        });
        var app = builder.Build();
        var requests = new Counter();
        app.Run(context =>
        {
            if (context.Request.Headers.ContainsKey("X-AppGW-Trace-Id")) requests.Increment();
            var echo = new EchoedRequest(context.Request.Method, context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            context.Response.Headers["X-Backend"] = "echo";
            if (context.Request.Headers.TryGetValue(ReflectHeader, out var reflected)) context.Response.Headers[ReflectHeader] = reflected;
            return context.Response.WriteAsJsonAsync(echo);
        });
        await app.StartAsync();
        var address = app.Urls.Single();
        return new EchoBackend(app, new Uri(address).Port, requests);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Counter
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}

public sealed record EchoedRequest(string Method, string Target, Dictionary<string, string> Headers)
{
    public static EchoedRequest Parse(string json)
    {
        var echo = JsonSerializer.Deserialize<EchoedRequest>(json, JsonSerializerOptions.Web)!;
        return echo with { Headers = new Dictionary<string, string>(echo.Headers, StringComparer.OrdinalIgnoreCase) };
    }

    public string? Header(string name) => Headers.GetValueOrDefault(name);
}
