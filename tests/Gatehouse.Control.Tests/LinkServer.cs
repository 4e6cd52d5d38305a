using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Control.Tests;

/// <summary>A plain HTTP server on 127.0.0.1 (OS-assigned port) serving linked templates by path; any other path is a 404.</summary>
public sealed class LinkServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LinkServer(WebApplication app, Uri baseUri) => (_app, BaseUri) = (app, baseUri);

    public Uri BaseUri { get; }

    /// <param name="answerAfter">When given, every request waits for it before it is answered: a slow server.</param>
    public static async Task<LinkServer> StartAsync(IReadOnlyDictionary<string, string> documents, Task? answerAfter = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/{**path}", async (string path, HttpContext http) =>
        {
            if (answerAfter is not null) await answerAfter.WaitAsync(http.RequestAborted);
            return documents.TryGetValue(path, out var text) ? Results.Text(text, "application/json") : Results.NotFound();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new LinkServer(app, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
