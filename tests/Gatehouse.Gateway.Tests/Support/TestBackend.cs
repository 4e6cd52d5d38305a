using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Gateway.Tests.Support;

/// <summary>
/// A named backend on 127.0.0.1 (or another loopback address) that can be made slow, made to fail its probe path, stopped and started again on
/// its port. Requests get the echo JSON and <c>X-Served-By: name</c>; <see cref="ProbePath"/> gets <see cref="ProbeStatus"/>.
/// </summary>
public sealed class TestBackend : IAsyncDisposable
{
    public const string ProbePath = "/health";

    /// <summary>Requests to this path are held, as slow requests in flight, until <see cref="ReleaseHeld"/>.</summary>
    public const string HeldPath = "/held";

    private WebApplication? _app;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;
    private readonly ConcurrentDictionary<string, bool> _servingConnections = new();

    private readonly X509Certificate2? _certificate;
    private readonly IPAddress _address;

    private TestBackend(string name, X509Certificate2? certificate, IPAddress address, int port)
    {
        Name = name;
        _certificate = certificate;
        _address = address;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; private set; }

    public int ProbeStatus { get; set; } = 200;

    /// <summary>How long each non-probe request waits before answering.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>How many requests to <see cref="HeldPath"/> have arrived.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Open connections that have carried a request other than a probe (the gateway's forwarding connections).</summary>
    public int ServingConnections => _servingConnections.Count;

    /// <summary>Lets every held request (and any later one) be answered.</summary>
    public void ReleaseHeld() => _release.TrySetResult();

    /// <summary>Whether non-probe requests get their connection reset instead of an answer, as from a backend that crashes.</summary>
    public bool DropsRequests { get; set; }

    /// <param name="certificate">When given, the backend speaks HTTPS with it.</param>
    /// <param name="address">The loopback address it listens on (default 127.0.0.1), at <paramref name="port"/> (0: any free one).</param>
    public static async Task<TestBackend> StartAsync(string name, X509Certificate2? certificate = null, IPAddress? address = null, int port = 0)
    {
        var backend = new TestBackend(name, certificate, address ?? IPAddress.Loopback, port);
        await backend.StartAsync();
        return backend;
    }

    /// <summary>Binds the port it had before (or a new one the first time).</summary>
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(_address, Port, listen =>
        {
            listen.Use(next => async connection =>
            {
                try { await next(connection); }
                finally { _servingConnections.TryRemove(connection.ConnectionId, out _); }
            });
            if (_certificate is not null) listen.UseHttps(_certificate);
        }));
        var app = builder.Build();
        app.Run(async context =>
        {
            if (context.Request.Path == ProbePath)
            {
                context.Response.StatusCode = ProbeStatus;
                await context.Response.WriteAsync($"{Name} is {(ProbeStatus == 200 ? "fine" : "failing")}");
                return;
            }
            _servingConnections[context.Connection.Id] = true;
            if (DropsRequests)
            {
                context.Abort();
                return;
            }
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, context.RequestAborted);
            if (context.Request.Path == HeldPath)
            {
                Interlocked.Increment(ref _held);
                await _release.Task.WaitAsync(context.RequestAborted);
            }
            context.Response.Headers["X-Served-By"] = Name;
            await context.Response.WriteAsJsonAsync(new EchoedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        });
        await app.StartAsync();
        Port = new Uri(app.Urls.Single()).Port;
        _app = app;
    }

    /// <summary>Closes the port: new connections are refused.</summary>
    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
