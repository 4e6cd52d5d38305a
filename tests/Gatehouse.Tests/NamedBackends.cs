using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Tests;

/// <summary>
/// One local HTTP service per name, each answering with its name, and the <c>serve --resolve</c> options that send a
/// backend address to the service standing for it: a test then sees which backend a request reached.
/// </summary>
public sealed class NamedBackends : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<string> _names;
    private readonly List<int> _ports = [];

    private NamedBackends(IReadOnlyList<string> names)
    {
        _names = names;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o =>
        {
            foreach (var _ in names) o.Listen(IPAddress.Loopback, 0);
        });
        _app = builder.Build();
        _app.Run(context => context.Response.WriteAsync(_names[_ports.IndexOf(context.Connection.LocalPort)]));
    }

    public static async Task<NamedBackends> StartAsync(IReadOnlyList<string> names)
    {
        var backends = new NamedBackends(names);
        await backends._app.StartAsync();
        backends._ports.AddRange(backends._app.Urls.Select(u => new Uri(u).Port));
        return backends;
    }

    /// <summary><c>--resolve</c> options mapping <paramref name="address"/> of each name to its service.</summary>
    public IEnumerable<string> ResolveOptions(Func<string, string> address) =>
        _names.Zip(_ports).SelectMany(p => new[] { "--resolve", $"{address(p.First)}=127.0.0.1:{p.Second}" });

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
