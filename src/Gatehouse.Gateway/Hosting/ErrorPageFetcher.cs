using System.Collections.Frozen;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Gateway.Hosting;

/// <summary>
/// Fetches customErrorConfigurations pages when a plan is applied (Azure reads them from their URL), so that the
/// request path serves stored bytes. Bounded in time and size; a page is fetched once and kept while plans name it.
/// One that cannot be fetched is logged, and the gateway's own page is served in its place.
/// </summary>
internal sealed class ErrorPageFetcher(ILogger logger) : IDisposable
{
    /// <summary>Azure's limit on a custom error page.</summary>
    private const int MaxPageBytes = 1024 * 1024;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = Timeout })
    {
        Timeout = Timeout,
        MaxResponseContentBufferSize = MaxPageBytes,
    };

    private FrozenDictionary<string, byte[]> _pages = FrozenDictionary<string, byte[]>.Empty;

    /// <summary>The pages of <paramref name="urls"/>: kept ones as they are, new ones fetched at once. Configuration path only.</summary>
    public async Task<FrozenDictionary<string, byte[]>> FetchAsync(IEnumerable<string> urls, CancellationToken cancellationToken)
    {
        var wanted = urls.ToList();
        var fetched = await Task.WhenAll(wanted.Where(url => !_pages.ContainsKey(url)).Select(url => FetchOneAsync(url, cancellationToken)));
        var pages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var url in wanted)
            if (_pages.TryGetValue(url, out var kept)) pages[url] = kept;
        foreach (var (url, body) in fetched)
            if (body is not null) pages[url] = body;
        return _pages = pages.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public void Dispose() => _client.Dispose();

    private async Task<(string Url, byte[]? Body)> FetchOneAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            return (url, await _client.GetByteArrayAsync(url, cancellationToken));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            logger.LogWarning("Custom error page {Url} could not be fetched ({Error}); the gateway's own page is served instead.", url, e.Message);
            return (url, null);
        }
    }
}
