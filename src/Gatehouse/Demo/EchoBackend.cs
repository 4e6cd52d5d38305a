using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Demo;

/// <summary>
/// A small backend that answers every request with what it received (method, path, headers) as JSON, so a
/// user can see exactly what the gateway forwarded, client certificate headers included.
/// </summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private readonly WebApplication app;

    private EchoBackend(WebApplication app) => this.app = app;

    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.Loopback, 0);

    public static async Task<EchoBackend> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        app.Run(Echo);
        var backend = new EchoBackend(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        backend.EndPoint = new IPEndPoint(IPAddress.Loopback, new Uri(address).Port);
        return backend;
    }

    private static Task Echo(HttpContext context)
    {
        var request = context.Request;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new EchoResponse(request.Method, request.Path + request.QueryString, headers), EchoJson.Default.EchoResponse));
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}

public sealed record EchoResponse(string Method, string Url, Dictionary<string, string> Headers);

[System.Text.Json.Serialization.JsonSerializable(typeof(EchoResponse))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class EchoJson : System.Text.Json.Serialization.JsonSerializerContext;
